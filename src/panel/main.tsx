import { render } from 'preact';
import './panel.css';
import { applyTheme, initialTheme } from './theme';
import { PanelApp } from './components/panel-app';
import { panelTranslator } from './i18n';

document.documentElement.lang = panelTranslator.lang;
applyTheme(initialTheme(), false);
const root = document.getElementById('app');
if (root) render(<PanelApp />, root);
