import { DEFAULT_MODERATION_SETTINGS } from '../src/contracts/moderation';
import { createScreener } from '../src/moderation/pipeline';
import type { ScreeningContext } from '../src/moderation/pipeline-types';
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
const screen = createScreener();
for (let p=0;p<4;p++){const t=performance.now(); for (const text of corpus) screen(ctx(text)); console.log('total per comment µs', ((performance.now()-t)/corpus.length*1000).toFixed(1));}
import { Filter } from 'bad-words';
const bw = new Filter();
for (let p=0;p<3;p++){
  let t=performance.now(); for (const text of corpus) screen(ctx(text)); const ours=(performance.now()-t)/corpus.length;
  t=performance.now(); for (const text of corpus.slice(p*100,p*100+100)) bw.isProfane(text); const theirs=(performance.now()-t)/100;
  console.log(`parley ${(ours*1000).toFixed(1)}µs bad-words ${(theirs*1000).toFixed(1)}µs ratio ${(theirs/ours).toFixed(1)}`);
}
