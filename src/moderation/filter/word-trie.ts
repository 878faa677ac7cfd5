import * as normalize from './normalize';
import { ANY_LETTER, type SlotStream, toSlots } from './normalize';

// Local copies: the compiled CommonJS reads imported bindings through getters, too slow for the walk.
const ANY_CODE = normalize.ANY_CODE;
const GAP_CODE = normalize.GAP_CODE;
const NO_ALT = normalize.NO_ALT;

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

/** Transitions by slot letter code: 0–25 for a–z, GAP_CODE for the gap (ANY_CODE is never a key letter). */
const ALPHABET = GAP_CODE + 1;
const LETTER_S = 's'.charCodeAt(0) - 0x61;
const NONE = -1;

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

function letterCode(letter: string): number {
  return letter === GAP ? GAP_CODE : letter.charCodeAt(0) - 0x61;
}

/** Receives each match; returning false stops the scan. */
export type Report = (entry: TrieEntry, first: number, last: number) => boolean;

/**
 * The trie as flat integer arrays. Node `n` has, per letter code `c`, a list of
 * edges starting at `firstEdge[n * ALPHABET + c]` (NONE when empty) and chained
 * through `nextEdge`, in insertion order; each edge needs the text to repeat
 * the letter at least `edgeMinCount` times (`ass` needs two s).
 */
export class WordTrie {
  private firstEdge: number[] = new Array<number>(ALPHABET).fill(NONE);
  private edgeTarget: number[] = [];
  private edgeMinCount: number[] = [];
  private nextEdge: number[] = [];
  /** Index into `entries`, or NONE. */
  private nodeEntry: number[] = [NONE];
  private nodeHasChildren: number[] = [0];
  /** Some entry at or below this node may match inside a word. */
  private nodeHasEmbeddable: number[] = [0];
  private readonly entries: TrieEntry[] = [];
  private longest = 0;

  /** Typed copies for scanning, rebuilt after `add`. */
  private compiled:
    | {
        firstEdge: Int32Array;
        edgeTarget: Int32Array;
        edgeMinCount: Int32Array;
        nextEdge: Int32Array;
        nodeEntry: Int32Array;
        nodeHasChildren: Uint8Array;
        nodeHasEmbeddable: Uint8Array;
      }
    | undefined;

  // Scan state: set by findAll, read by walk/step (keeps their argument lists short).
  private slots: SlotStream | undefined;
  private report: Report = () => true;
  private isStopped = false;

  private createNode(): number {
    const node = this.nodeEntry.length;
    this.nodeEntry.push(NONE);
    this.nodeHasChildren.push(0);
    this.nodeHasEmbeddable.push(0);
    for (let c = 0; c < ALPHABET; c++) this.firstEdge.push(NONE);
    return node;
  }

  add(steps: readonly KeyStep[], entry: TrieEntry): void {
    this.compiled = undefined;
    let node = 0;
    const path: number[] = [node];
    for (const step of steps) {
      const code = letterCode(step.letter);
      if (code < 0 || code >= ALPHABET || code === ANY_CODE) return;
      const slot = node * ALPHABET + code;
      let edge = this.firstEdge[slot] ?? NONE;
      let lastEdge = NONE;
      while (edge !== NONE && this.edgeMinCount[edge] !== step.count) {
        lastEdge = edge;
        edge = this.nextEdge[edge] ?? NONE;
      }
      if (edge === NONE) {
        edge = this.edgeTarget.length;
        this.edgeTarget.push(this.createNode());
        this.edgeMinCount.push(step.count);
        this.nextEdge.push(NONE);
        if (lastEdge === NONE) this.firstEdge[slot] = edge;
        else this.nextEdge[lastEdge] = edge;
        this.nodeHasChildren[node] = 1;
      }
      node = this.edgeTarget[edge] ?? 0;
      path.push(node);
    }
    // Banned beats suspect when both lists spell the same word.
    const existingIndex = this.nodeEntry[node] ?? NONE;
    const existing = existingIndex === NONE ? undefined : this.entries[existingIndex];
    if (existing === undefined || (existing.list === 'suspect' && entry.list === 'banned')) {
      this.nodeEntry[node] = this.entries.length;
      this.entries.push(entry);
    }
    if (!entry.isWholeWordOnly) for (const onPath of path) this.nodeHasEmbeddable[onPath] = 1;
    this.longest = Math.max(this.longest, steps.length);
  }

  private compile(): NonNullable<WordTrie['compiled']> {
    this.compiled ??= {
      firstEdge: Int32Array.from(this.firstEdge),
      edgeTarget: Int32Array.from(this.edgeTarget),
      edgeMinCount: Int32Array.from(this.edgeMinCount),
      nextEdge: Int32Array.from(this.nextEdge),
      nodeEntry: Int32Array.from(this.nodeEntry),
      nodeHasChildren: Uint8Array.from(this.nodeHasChildren),
      nodeHasEmbeddable: Uint8Array.from(this.nodeHasEmbeddable),
    };
    return this.compiled;
  }

  /**
   * Walks the trie from every letter slot of the stream. Each walk is bounded by
   * the longest entry, and leet alternatives only branch where the trie has a
   * matching edge, so the cost is linear in the text for a fixed list. Most
   * walks end after one or two array look-ups.
   */
  findAll(slots: SlotStream, report: Report): void {
    const trie = this.compile();
    this.slots = slots;
    this.report = report;
    this.isStopped = false;
    const primary = slots.primary;
    const length = slots.length;
    const isRootEmbeddable = trie.nodeHasEmbeddable[0] === 1;
    try {
      for (let start = 0; start < length && !this.isStopped; start++) {
        if (primary[start] === GAP_CODE) continue;
        const isWordStart = start === 0 || primary[start - 1] === GAP_CODE;
        if (!isWordStart && !isRootEmbeddable) continue;
        this.walk(trie, start, start, 0, isWordStart, 0);
      }
    } finally {
      this.slots = undefined;
      this.report = () => true;
    }
  }

  private walk(
    trie: NonNullable<WordTrie['compiled']>,
    first: number,
    index: number,
    node: number,
    isWordStart: boolean,
    wildcards: number,
  ): void {
    const slots = this.slots;
    if (slots === undefined || index >= slots.length || index - first >= this.longest || this.isStopped) return;
    const letter = slots.primary[index] ?? GAP_CODE;
    const base = node * ALPHABET;
    if (letter === GAP_CODE) {
      for (let edge = trie.firstEdge[base + GAP_CODE] ?? NONE; edge !== NONE; edge = trie.nextEdge[edge] ?? NONE)
        this.step(trie, first, index, trie.edgeTarget[edge] ?? 0, isWordStart, wildcards);
      return;
    }
    if (letter === ANY_CODE) {
      // A masked letter stands for any single letter, never for a run.
      for (let code = 0; code < ANY_CODE; code++) {
        for (let edge = trie.firstEdge[base + code] ?? NONE; edge !== NONE; edge = trie.nextEdge[edge] ?? NONE) {
          if (trie.edgeMinCount[edge] === 1)
            this.step(trie, first, index, trie.edgeTarget[edge] ?? 0, isWordStart, wildcards + 1);
        }
      }
      return;
    }
    const count = slots.count[index] ?? 1;
    for (let edge = trie.firstEdge[base + letter] ?? NONE; edge !== NONE; edge = trie.nextEdge[edge] ?? NONE) {
      if ((trie.edgeMinCount[edge] ?? 0) <= count)
        this.step(trie, first, index, trie.edgeTarget[edge] ?? 0, isWordStart, wildcards);
    }
    const alt = slots.alt[index] ?? NO_ALT;
    if (alt === NO_ALT) return;
    for (let edge = trie.firstEdge[base + alt] ?? NONE; edge !== NONE; edge = trie.nextEdge[edge] ?? NONE) {
      if ((trie.edgeMinCount[edge] ?? 0) <= count)
        this.step(trie, first, index, trie.edgeTarget[edge] ?? 0, isWordStart, wildcards);
    }
  }

  private step(
    trie: NonNullable<WordTrie['compiled']>,
    first: number,
    index: number,
    node: number,
    isWordStart: boolean,
    wildcards: number,
  ): void {
    if (!isWordStart && trie.nodeHasEmbeddable[node] !== 1) return;
    const entryIndex = trie.nodeEntry[node] ?? NONE;
    // (Never index an array with NONE: a negative index is a slow property look-up.)
    const entry = entryIndex === NONE ? undefined : this.entries[entryIndex];
    if (entry !== undefined && this.slots !== undefined) {
      const slots = this.slots;
      const isPlural =
        !isWordEndAt(slots, index + 1) && isPluralS(slots, index + 1) && isWordEndAt(slots, index + 2);
      const isWordEnd = isPlural || isWordEndAt(slots, index + 1);
      const isWhole = isWordStart && isWordEnd;
      const letters = index - first + 1;
      // A match must be mostly real letters: `f**k` yes, `***` or `a*` no.
      const isMostlyLetters = wildcards === 0 || letters - wildcards >= 2;
      if (isWhole && entry.isWholeWordOnly && isMostlyLetters)
        this.emit(entry, first, isPlural ? index + 1 : index);
      else if (!entry.isWholeWordOnly && isMostlyLetters) this.emit(entry, first, index);
    }
    if (trie.nodeHasChildren[node] === 1) this.walk(trie, first, index + 1, node, isWordStart, wildcards);
  }

  private emit(entry: TrieEntry, first: number, last: number): void {
    if (!this.report(entry, first, last)) this.isStopped = true;
  }
}

function isWordEndAt(slots: SlotStream, index: number): boolean {
  return index >= slots.length || slots.primary[index] === GAP_CODE;
}

/** A plain plural `s` after a whole-word entry still counts as the word (`dicks`, `twats`). */
function isPluralS(slots: SlotStream, index: number): boolean {
  return (
    index < slots.length &&
    slots.count[index] === 1 &&
    (slots.primary[index] === LETTER_S || slots.alt[index] === LETTER_S)
  );
}
