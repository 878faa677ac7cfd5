import * as normalize from './normalize';
import { ANY_LETTER, type SlotStream, type StartFilter, toSlots } from './normalize';

// Local copies: the compiled CommonJS reads imported bindings through getters, too slow for the walk.
const ANY_CODE = normalize.ANY_CODE;
const GAP_CODE = normalize.GAP_CODE;
const NO_ALT = normalize.NO_ALT;
const END_CODE = normalize.END_CODE;
const STRIDE = normalize.START_STRIDE;

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
/** Starts are also checked four letters at a time (see CompiledTrie). */
const QUAD_LENGTH = 4;
const QUAD_COUNT = 26 ** QUAD_LENGTH;

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

  /** The typed copy for scanning, rebuilt after `add`. */
  private compiled: CompiledTrie | undefined;

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

  /**
   * Walks the trie from every letter slot of the stream. Each walk is bounded by
   * the longest entry, and leet alternatives only branch where the trie has a
   * matching edge, so the cost is linear in the text for a fixed list. Most
   * walks end after one or two array look-ups.
   */
  findAll(slots: SlotStream, report: Report): void {
    this.compile().findAll(slots, report);
  }

  /** The start tables, for `readSlotStream` to list the slots worth a walk. */
  startFilter(): StartFilter {
    return this.compile().startFilter;
  }

  private compile(): CompiledTrie {
    this.compiled ??= new CompiledTrie(
      Int32Array.from(this.firstEdge),
      Int32Array.from(this.edgeTarget),
      Int32Array.from(this.edgeMinCount),
      Int32Array.from(this.nextEdge),
      Int32Array.from(this.nodeEntry),
      Uint8Array.from(this.nodeHasChildren),
      Uint8Array.from(this.nodeHasEmbeddable),
      this.entries,
      this.longest,
    );
    return this.compiled;
  }
}

const EMPTY_STREAM: SlotStream = {
  length: 0,
  primary: new Uint8Array(0),
  alt: new Uint8Array(0),
  count: new Int32Array(0),
  start: new Int32Array(0),
  end: new Int32Array(0),
  upper: new Uint8Array(0),
  candidateCount: -1,
  candidates: new Int32Array(0),
};

const IGNORE_MATCH: Report = () => true;

/** The trie frozen into typed arrays, with the scan state (one scan at a time: scanning is synchronous). */
class CompiledTrie {
  /**
   * Which first three slots can start a match, by `(first * STRIDE + second) *
   * STRIDE + third` (second, third: a letter, ANY_CODE, GAP_CODE or END_CODE):
   * 1 when the trie can take the first two and then has an entry or an edge for
   * the third. One table for walks from a word start, one for walks inside a
   * word (embeddable entries only). Nearly every slot of a clean comment fails
   * here, with one look-up instead of a walk.
   */
  private readonly wordStartTriples = new Uint8Array(ANY_CODE * STRIDE * STRIDE);
  private readonly insideTriples = new Uint8Array(ANY_CODE * STRIDE * STRIDE);
  readonly startFilter: StartFilter;
  /**
   * The same question for four letters in a row, as bit sets indexed by the
   * letters in base 26: asked only of the few starts that pass the triples,
   * it spares most walks that would fail at the fourth letter (`basis`, `analyst`).
   */
  private readonly wordStartQuads = new Uint8Array(QUAD_COUNT / 8);
  private readonly insideQuads = new Uint8Array(QUAD_COUNT / 8);
  private slots: SlotStream = EMPTY_STREAM;
  private report: Report = IGNORE_MATCH;
  private isStopped = false;

  constructor(
    private readonly firstEdge: Int32Array,
    private readonly edgeTarget: Int32Array,
    private readonly edgeMinCount: Int32Array,
    private readonly nextEdge: Int32Array,
    private readonly nodeEntry: Int32Array,
    private readonly nodeHasChildren: Uint8Array,
    private readonly nodeHasEmbeddable: Uint8Array,
    private readonly entries: readonly TrieEntry[],
    private readonly longest: number,
  ) {
    for (let first = 0; first < ANY_CODE; first++) {
      for (const node of this.targets(0, first)) {
        for (let second = 0; second < STRIDE; second++) {
          for (let third = 0; third < STRIDE; third++) {
            const at = (first * STRIDE + second) * STRIDE + third;
            if (this.canContinue(node, second, third, false)) this.wordStartTriples[at] = 1;
            if (this.canContinue(node, second, third, true)) this.insideTriples[at] = 1;
          }
        }
      }
    }
    this.markQuads(this.wordStartQuads, 0, 0, 0, false);
    this.markQuads(this.insideQuads, 0, 0, 0, true);
    const isRootEmbeddable = nodeHasEmbeddable[0] === 1;
    this.startFilter = {
      wordStart: this.wordStartTriples,
      inside: isRootEmbeddable ? this.insideTriples : undefined,
    };
  }

  /**
   * Marks the four-letter starts that can reach `node` (spelled by `depth`
   * letters, `prefix` in base 26): all continuations when it holds an entry,
   * the exact four letters at depth four. Inside a word, only through nodes
   * with embeddable entries.
   */
  private markQuads(quads: Uint8Array, node: number, depth: number, prefix: number, isInside: boolean): void {
    if (depth > 0) {
      if (isInside && this.nodeHasEmbeddable[node] !== 1) return;
      if (this.nodeEntry[node] !== NONE || depth === QUAD_LENGTH) {
        const span = 26 ** (QUAD_LENGTH - depth);
        for (let quad = prefix * span; quad < (prefix + 1) * span; quad++)
          quads[quad >>> 3] = (quads[quad >>> 3] ?? 0) | (1 << (quad & 7));
        return;
      }
    }
    for (let letter = 0; letter < ANY_CODE; letter++) {
      for (const next of this.targets(node, letter))
        this.markQuads(quads, next, depth + 1, prefix * 26 + letter, isInside);
    }
  }

  /**
   * False when the four slots from `start` are plain letters (no alternatives)
   * that start no entry; true when they may, or when they are not four plain letters.
   */
  private isQuadPossible(quads: Uint8Array, start: number): boolean {
    const { primary, alt, length } = this.slots;
    if (start + QUAD_LENGTH > length) return true;
    let quad = 0;
    for (let index = start; index < start + QUAD_LENGTH; index++) {
      const letter = primary[index] ?? GAP_CODE;
      if (letter >= ANY_CODE || alt[index] !== NO_ALT) return true;
      quad = quad * 26 + letter;
    }
    return ((quads[quad >>> 3] ?? 0) & (1 << (quad & 7))) !== 0;
  }

  /** The nodes an edge for `code` leads to from `node` (any letter for ANY_CODE; none for END_CODE). */
  private targets(node: number, code: number): number[] {
    const nodes: number[] = [];
    const from = code === ANY_CODE ? 0 : code;
    const to = code === ANY_CODE ? ANY_CODE - 1 : code;
    if (code === END_CODE) return nodes;
    for (let letter = from; letter <= to; letter++) {
      const base = node * ALPHABET + letter;
      for (let edge = this.firstEdge[base] ?? NONE; edge !== NONE; edge = this.nextEdge[edge] ?? NONE)
        nodes.push(this.edgeTarget[edge] ?? 0);
    }
    return nodes;
  }

  /** Whether a walk at `node` (after the first slot) may report something given the next two slots. */
  private canContinue(node: number, second: number, third: number, isInside: boolean): boolean {
    if (isInside && this.nodeHasEmbeddable[node] !== 1) return false;
    if (this.nodeEntry[node] !== NONE) return true;
    for (const next of this.targets(node, second)) {
      if (isInside && this.nodeHasEmbeddable[next] !== 1) continue;
      if (this.nodeEntry[next] !== NONE) return true;
      if (third === ANY_CODE ? this.nodeHasChildren[next] === 1 : this.targets(next, third).length > 0)
        return true;
    }
    return false;
  }

  findAll(slots: SlotStream, report: Report): void {
    this.slots = slots;
    this.report = report;
    this.isStopped = false;
    const primary = slots.primary;
    const length = slots.length;
    const isRootEmbeddable = this.nodeHasEmbeddable[0] === 1;
    const wordStartTriples = this.wordStartTriples;
    const insideTriples = isRootEmbeddable ? this.insideTriples : undefined;
    try {
      if (slots.candidateCount >= 0) {
        // The reading already listed the slots that pass the tables; check them exactly.
        const candidates = slots.candidates;
        for (let i = 0; i < slots.candidateCount && !this.isStopped; i++) {
          const start = candidates[i] ?? 0;
          const isWordStart = start === 0 || primary[start - 1] === GAP_CODE;
          const table = isWordStart ? wordStartTriples : insideTriples;
          if (
            table !== undefined &&
            this.isStartPossible(table, start) &&
            this.isQuadPossible(isWordStart ? this.wordStartQuads : this.insideQuads, start)
          )
            this.walk(start, start, 0, isWordStart, 0);
        }
        return;
      }
      // A window over the stream: the slot before `start`, `start` and the two after it.
      let previous = GAP_CODE;
      let letter = length > 0 ? (primary[0] ?? END_CODE) : END_CODE;
      let second = length > 1 ? (primary[1] ?? END_CODE) : END_CODE;
      for (let start = 0; start < length && !this.isStopped; start++) {
        const third = start + 2 < length ? (primary[start + 2] ?? END_CODE) : END_CODE;
        if (letter !== GAP_CODE) {
          const isWordStart = previous === GAP_CODE;
          const table = isWordStart ? wordStartTriples : insideTriples;
          // Fail fast: no entry starts with these three slots (or their alternatives).
          if (
            table !== undefined &&
            (letter === ANY_CODE ||
              table[(letter * STRIDE + second) * STRIDE + third] === 1 ||
              this.isAlternativePossible(table, start))
          )
            this.walk(start, start, 0, isWordStart, 0);
        }
        previous = letter;
        letter = second;
        second = third;
      }
    } finally {
      this.slots = EMPTY_STREAM;
      this.report = IGNORE_MATCH;
    }
  }

  /** Whether the tables allow a match from the letter slot at `start`. */
  private isStartPossible(table: Uint8Array, start: number): boolean {
    const { primary, length } = this.slots;
    const letter = primary[start] ?? GAP_CODE;
    if (letter === GAP_CODE) return false;
    if (letter === ANY_CODE) return true;
    const second = start + 1 < length ? (primary[start + 1] ?? END_CODE) : END_CODE;
    const third = start + 2 < length ? (primary[start + 2] ?? END_CODE) : END_CODE;
    return (
      table[(letter * STRIDE + second) * STRIDE + third] === 1 || this.isAlternativePossible(table, start)
    );
  }

  /** The slots at `start` have alternatives (leet, `v`): tries their combinations. */
  private isAlternativePossible(table: Uint8Array, start: number): boolean {
    const { primary, alt, length } = this.slots;
    const letterAlt = alt[start] ?? NO_ALT;
    const secondAlt = start + 1 < length ? (alt[start + 1] ?? NO_ALT) : NO_ALT;
    const thirdAlt = start + 2 < length ? (alt[start + 2] ?? NO_ALT) : NO_ALT;
    if (letterAlt === NO_ALT && secondAlt === NO_ALT && thirdAlt === NO_ALT) return false;
    const second = start + 1 < length ? (primary[start + 1] ?? END_CODE) : END_CODE;
    const third = start + 2 < length ? (primary[start + 2] ?? END_CODE) : END_CODE;
    const letter = primary[start] ?? END_CODE;
    // Each of the three slots reads as its letter or its alternative (NO_ALT: none): 8 combinations at most.
    for (let combination = 0; combination < 8; combination++) {
      const first = (combination & 1) === 0 ? letter : letterAlt;
      const next = (combination & 2) === 0 ? second : secondAlt;
      const last = (combination & 4) === 0 ? third : thirdAlt;
      if (first === NO_ALT || next === NO_ALT || last === NO_ALT) continue;
      if (table[(first * STRIDE + next) * STRIDE + last] === 1) return true;
    }
    return false;
  }

  /**
   * Follows the trie from `node` with the slot at `index`. A slot with one
   * letter and a node with one edge for it (the common case) continue in the
   * loop; alternatives, wildcards, gaps and repeat variants branch.
   */
  private walk(first: number, index: number, node: number, isWordStart: boolean, wildcards: number): void {
    const slots = this.slots;
    const { primary, alt, count: counts } = slots;
    const { firstEdge, nextEdge, edgeTarget, edgeMinCount, nodeHasEmbeddable, nodeHasChildren, nodeEntry } =
      this;
    const length = slots.length;
    const limit = Math.min(length, first + this.longest);
    for (;;) {
      if (index >= limit || this.isStopped) return;
      const letter = primary[index] ?? GAP_CODE;
      const base = node * ALPHABET;
      if (letter === ANY_CODE) {
        // A masked letter stands for any single letter, never for a run.
        for (let code = 0; code < ANY_CODE; code++) {
          for (let edge = firstEdge[base + code] ?? NONE; edge !== NONE; edge = nextEdge[edge] ?? NONE) {
            if (edgeMinCount[edge] === 1)
              this.step(first, index, edgeTarget[edge] ?? 0, isWordStart, wildcards + 1);
          }
        }
        return;
      }
      const other = alt[index] ?? NO_ALT;
      const count = letter === GAP_CODE ? 1 : (counts[index] ?? 1);
      const edge = firstEdge[base + letter] ?? NONE;
      if (other === NO_ALT && edge !== NONE && nextEdge[edge] === NONE) {
        // One candidate: step inline and go on with the next slot.
        if ((edgeMinCount[edge] ?? 0) > count) return;
        node = edgeTarget[edge] ?? 0;
        if (!isWordStart && nodeHasEmbeddable[node] !== 1) return;
        if (nodeEntry[node] !== NONE) this.check(first, index, node, isWordStart, wildcards);
        if (nodeHasChildren[node] !== 1) return;
        index++;
        continue;
      }
      for (let e = edge; e !== NONE; e = nextEdge[e] ?? NONE) {
        if ((edgeMinCount[e] ?? 0) <= count)
          this.step(first, index, edgeTarget[e] ?? 0, isWordStart, wildcards);
      }
      if (other === NO_ALT) return;
      for (let e = firstEdge[base + other] ?? NONE; e !== NONE; e = nextEdge[e] ?? NONE) {
        if ((edgeMinCount[e] ?? 0) <= count)
          this.step(first, index, edgeTarget[e] ?? 0, isWordStart, wildcards);
      }
      return;
    }
  }

  private step(first: number, index: number, node: number, isWordStart: boolean, wildcards: number): void {
    if (!isWordStart && this.nodeHasEmbeddable[node] !== 1) return;
    if (this.nodeEntry[node] !== NONE) this.check(first, index, node, isWordStart, wildcards);
    if (this.nodeHasChildren[node] === 1) this.walk(first, index + 1, node, isWordStart, wildcards);
  }

  /** The walk reached a node with an entry after slot `index`: reports it if the word rules allow. */
  private check(first: number, index: number, node: number, isWordStart: boolean, wildcards: number): void {
    const entryIndex = this.nodeEntry[node] ?? NONE;
    // (Never index an array with NONE: a negative index is a slow property look-up.)
    const entry = entryIndex === NONE ? undefined : this.entries[entryIndex];
    // A whole-word entry inside a word (`ass` in `class`) is never a match.
    if (entry === undefined || (entry.isWholeWordOnly && !isWordStart)) return;
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
