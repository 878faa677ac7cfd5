import { makeContext, NOW, secondsBefore } from '../../../../tests/fixtures/moderation/screening-context';
import { floodPhase, foldForRepeat } from './flood.phase';

describe('flood phase', () => {
  it('when the author posts again sooner than slow mode allows, then it refuses with SLOW_MODE and the wait', () => {
    const result = floodPhase(
      makeContext({
        settings: { slowModeSeconds: 60 },
        recent: { lastPostedAt: secondsBefore(NOW, 45), recentBodies: [] },
      }),
    );
    expect(result?.refusal).toMatchObject({ code: 'SLOW_MODE', context: { retryAfterSeconds: 15 } });
    expect(result?.findings[0]?.rule).toBe('flood.slow-mode');
  });

  it('when enough time has passed, then slow mode lets the comment through', () => {
    const context = makeContext({
      settings: { slowModeSeconds: 60 },
      recent: { lastPostedAt: secondsBefore(NOW, 60), recentBodies: [] },
    });
    expect(floodPhase(context)).toBeUndefined();
  });

  it('when the post is heated, then the heated slow mode applies even if the site has none', () => {
    const context = makeContext({
      settings: { slowModeSeconds: 0, heatedSlowModeSeconds: 30 },
      post: { heat: 'heated' },
      recent: { lastPostedAt: secondsBefore(NOW, 10), recentBodies: [] },
    });
    expect(floodPhase(context)?.refusal).toMatchObject({
      code: 'SLOW_MODE',
      context: { retryAfterSeconds: 20 },
    });
    expect(floodPhase({ ...context, post: { ...context.post, heat: 'normal' } })).toBeUndefined();
  });

  it('when the comment is an edit, then slow mode does not apply', () => {
    const context = makeContext({
      isEdit: true,
      settings: { slowModeSeconds: 60 },
      recent: { lastPostedAt: secondsBefore(NOW, 5), recentBodies: [] },
    });
    expect(floodPhase(context)).toBeUndefined();
  });

  it('when the author repeats a recent body with other case and punctuation, then it holds as flood.repeat', () => {
    const context = makeContext({
      text: 'Sanctions  are NOT working!!',
      recent: { recentBodies: ['Something else.', 'sanctions are not working'] },
    });
    const result = floodPhase(context);
    expect(result?.action).toBe('hold');
    expect(result?.refusal).toBeUndefined();
    expect(result?.findings[0]?.rule).toBe('flood.repeat');
  });

  it('when the text differs from recent bodies, then nothing is found', () => {
    expect(
      floodPhase(
        makeContext({
          text: 'Sanctions are working.',
          recent: { recentBodies: ['Sanctions are not working'] },
        }),
      ),
    ).toBeUndefined();
  });

  it('when two emoji-only bodies are the same, then they fold to the same value', () => {
    expect(foldForRepeat(' 👍👍 ')).toBe(foldForRepeat('👍👍'));
    expect(foldForRepeat('👍')).not.toBe(foldForRepeat('👎'));
  });
});
