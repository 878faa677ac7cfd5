import { DEFAULT_MODERATION_SETTINGS } from '../src/contracts/moderation';
import { createScreener } from '../src/moderation/pipeline';
import * as phases from '../src/moderation/pipeline';
import type { ScreeningContext, Phase } from '../src/moderation/pipeline-types';
const S = [
 'The peace talks in Istanbul are the first serious attempt in years.',
 'Any ceasefire without security guarantees just gives both sides time to rearm.',
 'Переговоры в Стамбуле — это шаг вперёд, но до мира ещё далеко.',
 'Обмін полоненими — єдине, що ці переговори справді дають.',
 'Russian soldiers were killed near Kherson, according to the general staff.',
];
const corpus: string[] = [];
for (let i = 0; i < 3000; i++) { let t=''; for (let j=0;j<4;j++) t += S[(i*7+j*3)%S.length] + ' '; corpus.push(t + i); }
const ctx = (text: string): ScreeningContext => ({ text, isEdit:false, now:new Date(), site:{id:'b', settings:{...DEFAULT_MODERATION_SETTINGS}}, post:{closed:false,heat:'normal'}, author:{standing:'active',approvedCount:25,isVerified:false}, recent:{recentBodies:[]} });
const all = phases.createDefaultPhases();
const names = ['language','shape','author','history','flood','brigading','words','lexicon','evasion','spam','external','policy'];
for (let pass=0; pass<3; pass++) {
  const times = all.map(()=>0);
  for (const text of corpus) { const c = ctx(text); all.forEach((p: Phase, k) => { const t=performance.now(); p(c); times[k]! += performance.now()-t; }); }
  console.log(names.map((n,k)=>`${n} ${(times[k]!/corpus.length*1000).toFixed(1)}µs`).join(', '));
}
const screen = createScreener();
const t=performance.now(); for (const text of corpus) screen(ctx(text)); console.log('total per comment µs', ((performance.now()-t)/corpus.length*1000).toFixed(1));
import { Filter } from 'bad-words';
const bw = new Filter();
{ const t=performance.now(); for (const text of corpus.slice(0,150)) bw.isProfane(text); console.log('bad-words µs', ((performance.now()-t)/150*1000).toFixed(1)); }
