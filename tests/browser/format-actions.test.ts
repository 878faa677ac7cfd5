// The widget toolbar's pure logic, run in Node.
import { applyFormat, shortcutOf, type TextEdit } from '../../src/widget/format-actions';

/** `a[b]c` notation: brackets mark the selection. */
function edit(marked: string): TextEdit {
  const start = marked.indexOf('[');
  const end = marked.indexOf(']') - 1;
  return { value: marked.replace('[', '').replace(']', ''), selectionStart: start, selectionEnd: end };
}

function show(result: TextEdit): string {
  const { value, selectionStart, selectionEnd } = result;
  return `${value.slice(0, selectionStart)}[${value.slice(selectionStart, selectionEnd)}]${value.slice(selectionEnd)}`;
}

describe('applyFormat: the widget toolbar on the textarea', () => {
  it('when text is selected, then inline formats wrap it and keep it selected', () => {
    expect(show(applyFormat(edit('say [hi] now'), 'bold', 'text'))).toBe('say **[hi]** now');
    expect(show(applyFormat(edit('say [hi] now'), 'italic', 'text'))).toBe('say _[hi]_ now');
    expect(show(applyFormat(edit('say [hi] now'), 'strike', 'text'))).toBe('say ~~[hi]~~ now');
    expect(show(applyFormat(edit('say [hi] now'), 'code', 'text'))).toBe('say `[hi]` now');
    expect(show(applyFormat(edit('say [Снейп убив] now'), 'spoiler', 'text'))).toBe('say ||[Снейп убив]|| now');
  });

  it('when nothing is selected, then the markers go in with the cursor between them', () => {
    expect(show(applyFormat(edit('a []b'), 'bold', 'text'))).toBe('a **[]**b');
  });

  it('when a wrapped selection is formatted again, then the markers come off', () => {
    expect(show(applyFormat(edit('say **[hi]** now'), 'bold', 'text'))).toBe('say [hi] now');
    expect(show(applyFormat(edit('say [**hi**] now'), 'bold', 'text'))).toBe('say [hi] now');
  });

  it('when lines are quoted or listed, then each touched line gets the prefix, and loses it the second time', () => {
    expect(show(applyFormat(edit('one\nt[wo\nthr]ee\nfour'), 'quote', 'text'))).toBe('one\n> t[wo\n> thr]ee\nfour');
    expect(show(applyFormat(edit('[a\nb]'), 'list', 'text'))).toBe('- [a\n- b]');
    expect(applyFormat(edit('- [a\n- b]'), 'list', 'text').value).toBe('a\nb');
  });

  it('when a link is made, then the selection becomes its text and the address is selected to type', () => {
    expect(show(applyFormat(edit('see [the report] here'), 'link', 'text'))).toBe('see [the report]([https://]) here');
    expect(show(applyFormat(edit('see [] here'), 'link', 'посилання'))).toBe('see [посилання]([https://]) here');
  });
});

describe('shortcutOf', () => {
  const key = (k: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }>) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...modifiers });
  it('when Ctrl or ⌘ is held with B or I, then it is bold or italic; anything else is no shortcut', () => {
    expect(shortcutOf(key('b', { ctrlKey: true }))).toBe('bold');
    expect(shortcutOf(key('I', { metaKey: true }))).toBe('italic');
    expect(shortcutOf(key('b', {}))).toBeUndefined();
    expect(shortcutOf(key('b', { ctrlKey: true, shiftKey: true }))).toBeUndefined();
    expect(shortcutOf(key('k', { ctrlKey: true }))).toBeUndefined();
  });
});
