import { DEFAULT_LEXICON, readTokens } from '../src/moderation/lexicon';
import { readText } from '../src/moderation/text';
const S = [
 'The peace talks in Istanbul are the first serious attempt in years.',
 'Any ceasefire without security guarantees just gives both sides time to rearm.',
 'Переговоры в Стамбуле — это шаг вперёд, но до мира ещё далеко.',
 'Обмін полоненими — єдине, що ці переговори справді дають.',
 'Russian soldiers were killed near Kherson, according to the general staff.',
];
const corpus: string[] = [];
for (let i = 0; i < 3000; i++) { let t=''; for (let j=0;j<4;j++) t += S[(i*7+j*3)%S.length] + ' '; corpus.push(t + i); }
for (let pass=0; pass<3; pass++) {
let a=0,b=0,c=0,d=0;
for (const text of corpus) {
  let t=performance.now(); const r = readText(text); a+=performance.now()-t;
  t=performance.now(); const tokens = readTokens(r.text, r.folded); b+=performance.now()-t;
  t=performance.now(); DEFAULT_LEXICON.scan(tokens); c+=performance.now()-t;
  t=performance.now(); /\d/.test(text); d+=performance.now()-t;
}
const n=corpus.length/1000; console.log(`readText ${(a/n).toFixed(1)} readTokens ${(b/n).toFixed(1)} scan ${(c/n).toFixed(1)} µs`);
}
