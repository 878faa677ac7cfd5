export {
  createTranslator,
  pickLanguage,
  placeholdersOf,
  type Catalogue,
  type Message,
  type MessageParams,
  type PluralCategory,
  type PluralMessage,
  type Translator,
} from './catalogue';
