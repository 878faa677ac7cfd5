import { ANY_LETTER, type Slot, toSlots } from './normalize';

/** The gap letter inside multi-word entries ("mother fucker"). */
const GAP = ' ';

export type ListName = 'banned' | 'suspect';

export interface TrieEntry {
  /** The list entry as the site (or the default list) spelled it. */
  word: string;
  list: ListName;
  /** Must cover a whole word of the text; otherwise it may sit inside a longer word. */
  isWholeWordOnly: boolean;
  /** May be a person's name when capitalised next to another name (Dick Cheney). */
  isNameLike: boolean;
}

interface Edge {
  /** The text must repeat this letter at least this many times (`ass` needs two s). */
  minCount: number;
  node: TrieNode;
}

/** Children by letter index: 0–25 for a–z, 26 for the gap. */
const GAP_INDEX = 26;
const ALPHABET = 27;

function letterIndex(letter: string): number {
  return letter === GAP ? GAP_INDEX : letter.charCodeAt(0) - 97;
}

interface TrieNode {
  children: (Edge[] | undefined)[];
  hasChildren: boolean;
  entry: TrieEntry | undefined;
  /** Some entry at or below this node may match inside a word. */
  hasEmbeddable: boolean;
}

function createNode(): TrieNode {
  return {
    children: new Array<Edge[] | undefined>(ALPHABET).fill(undefined),
    hasChildren: false,
    entry: undefined,
    hasEmbeddable: false,
  };
}

/** One step of an entry's spelling: a letter (or the gap) and how often it repeats. */
export interface KeyStep {
  letter: string;
  count: number;
}

/**
 * Spells an entry the way the text is read: same folding, leet (first
 * alternative) and repeat collapsing, so `sh1t`, `@$$` and `a_s_s` become
 * `shit` and `ass`. Returns undefined when nothing letter-like is left.
 */
export function spellEntry(entry: string): KeyStep[] | undefined {
  const steps: KeyStep[] = [];
  for (const slot of toSlots(entry)) {
    if (slot.kind === 'gap') {
      if (steps.length > 0 && steps[steps.length - 1]?.letter !== GAP) steps.push({ letter: GAP, count: 1 });
      continue;
    }
    const letter = slot.letters[0];
    if (letter === undefined || letter === ANY_LETTER) return undefined;
    steps.push({ letter, count: slot.count });
  }
  while (steps[steps.length - 1]?.letter === GAP) steps.pop();
  return steps.length > 0 ? steps : undefined;
}

export function spellingKey(steps: readonly KeyStep[]): string {
  return steps.map((step) => step.letter.repeat(step.count)).join('');
}

function isWordEndAt(slots: readonly Slot[], index: number): boolean {
  return index >= slots.length || slots[index]?.kind === 'gap';
}

/** A plain plural `s` after a whole-word entry still counts as the word (`dicks`, `twats`). */
function isPluralS(slot: Slot | undefined): boolean {
  return slot?.kind === 'letter' && slot.count === 1 && slot.letters.includes('s');
}

/** Receives each match; returning false stops the scan. */
export type Report = (entry: TrieEntry, first: number, last: number) => boolean;

export class WordTrie {
  private readonly root = createNode();
  private longest = 0;
  private isStopped = false;

  add(steps: readonly KeyStep[], entry: TrieEntry): void {
    let node = this.root;
    const path: TrieNode[] = [node];
    for (const step of steps) {
      const index = letterIndex(step.letter);
      if (index < 0 || index >= ALPHABET) return;
      let edges = node.children[index];
      if (edges === undefined) {
        edges = [];
        node.children[index] = edges;
        node.hasChildren = true;
      }
      let edge = edges.find((candidate) => candidate.minCount === step.count);
      if (edge === undefined) {
        edge = { minCount: step.count, node: createNode() };
        edges.push(edge);
      }
      node = edge.node;
      path.push(node);
    }
    // Banned beats suspect when both lists spell the same word.
    if (node.entry === undefined || (node.entry.list === 'suspect' && entry.list === 'banned'))
      node.entry = entry;
    if (!entry.isWholeWordOnly) for (const onPath of path) onPath.hasEmbeddable = true;
    this.longest = Math.max(this.longest, steps.length);
  }

  /**
   * Walks the trie from every letter slot of the stream. Each walk is bounded by
   * the longest entry, and leet alternatives only branch where the trie has a
   * matching edge, so the cost is linear in the text for a fixed list.
   */
  findAll(slots: readonly Slot[], report: Report): void {
    const stopping: Report = (entry, first, last) => {
      if (!report(entry, first, last)) this.isStopped = true;
      return !this.isStopped;
    };
    this.isStopped = false;
    for (let start = 0; start < slots.length && !this.isStopped; start++) {
      const slot = slots[start];
      if (slot === undefined || slot.kind !== 'letter') continue;
      const isWordStart = start === 0 || slots[start - 1]?.kind === 'gap';
      if (!isWordStart && !this.root.hasEmbeddable) continue;
      this.walk(slots, start, start, this.root, isWordStart, 0, stopping);
    }
  }

  private walk(
    slots: readonly Slot[],
    first: number,
    index: number,
    node: TrieNode,
    isWordStart: boolean,
    wildcards: number,
    report: Report,
  ): void {
    const slot = slots[index];
    if (slot === undefined || index - first >= this.longest || this.isStopped) return;
    if (slot.kind === 'gap') {
      const edges = node.children[GAP_INDEX];
      if (edges !== undefined)
        for (const edge of edges) this.step(slots, first, index, edge.node, isWordStart, wildcards, report);
      return;
    }
    const letters = slot.letters;
    if (letters.length === 1 && letters !== ANY_LETTER) {
      // The common case: one plain letter, one array look-up.
      const edges = node.children[letters.charCodeAt(0) - 97];
      if (edges === undefined) return;
      for (const edge of edges) {
        if (edge.minCount <= slot.count)
          this.step(slots, first, index, edge.node, isWordStart, wildcards, report);
      }
      return;
    }
    if (letters === ANY_LETTER) {
      // A masked letter stands for any single letter, never for a run.
      for (let letter = 0; letter < GAP_INDEX; letter++) {
        for (const edge of node.children[letter] ?? []) {
          if (edge.minCount === 1)
            this.step(slots, first, index, edge.node, isWordStart, wildcards + 1, report);
        }
      }
      return;
    }
    for (let alternative = 0; alternative < letters.length; alternative++) {
      const edges = node.children[letters.charCodeAt(alternative) - 97];
      if (edges === undefined) continue;
      for (const edge of edges) {
        if (edge.minCount <= slot.count)
          this.step(slots, first, index, edge.node, isWordStart, wildcards, report);
      }
    }
  }

  private step(
    slots: readonly Slot[],
    first: number,
    index: number,
    node: TrieNode,
    isWordStart: boolean,
    wildcards: number,
    report: Report,
  ): void {
    if (!isWordStart && !node.hasEmbeddable) return;
    const entry = node.entry;
    if (entry !== undefined) {
      const isPlural =
        !isWordEndAt(slots, index + 1) && isPluralS(slots[index + 1]) && isWordEndAt(slots, index + 2);
      const isWordEnd = isPlural || isWordEndAt(slots, index + 1);
      const isWhole = isWordStart && isWordEnd;
      const letters = index - first + 1;
      // A match must be mostly real letters: `f**k` yes, `***` or `a*` no.
      const isMostlyLetters = wildcards === 0 || letters - wildcards >= 2;
      if (isWhole && entry.isWholeWordOnly && isMostlyLetters)
        report(entry, first, isPlural ? index + 1 : index);
      else if (!entry.isWholeWordOnly && isMostlyLetters) report(entry, first, index);
    }
    if (node.hasChildren) this.walk(slots, first, index + 1, node, isWordStart, wildcards, report);
  }
}
