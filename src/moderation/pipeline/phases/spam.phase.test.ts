import { makeContext } from '../../../../tests/fixtures/moderation/screening-context';
import { spamPhase } from './spam.phase';

function rulesFor(text: string, trustedDomains: string[] = []): string[] {
  return (spamPhase(makeContext({ text, settings: { trustedDomains } }))?.findings ?? []).map(
    (finding) => finding.rule,
  );
}

describe('spam phase', () => {
  it('when a link points to an unknown domain, then it holds with the link span', () => {
    const text = 'Read this: https://cheap-pills.example.net/buy now';
    const result = spamPhase(makeContext({ text }));
    expect(result?.action).toBe('hold');
    expect(result?.findings[0]).toMatchObject({ rule: 'spam.link', span: [11, 46] });
  });

  it('when a link points to a trusted domain or its subdomain, then it is not a signal', () => {
    expect(rulesFor('Source: https://www.reuters.com/world and live.reuters.com/x', ['reuters.com'])).toEqual(
      [],
    );
  });

  it('when a bare domain with a common TLD appears, then it counts as a link', () => {
    expect(rulesFor('Go to promo-site.ru for details')).toEqual(['spam.link']);
  });

  it('when most letters are capitals, then it is shouting; a short acronym is not', () => {
    expect(rulesFor('THIS GOVERNMENT IS LYING TO ALL OF US')).toEqual(['spam.shouting']);
    expect(rulesFor('The EU and NATO met the UN in the USA.')).toEqual([]);
  });

  it('when a character repeats ten times or more, then it is flagged with the run span', () => {
    const text = 'No way!!!!!!!!!! Never';
    const finding = spamPhase(makeContext({ text }))?.findings[0];
    expect(finding).toMatchObject({ rule: 'spam.repeated-chars', span: [6, 16] });
    expect(rulesFor('No way!!!!!!!!! Never')).toEqual([]);
  });

  it('when an e-mail address or a phone number appears, then each is a contact finding', () => {
    const text = 'Write to deals@offer.example.com or call +7 495 123-45-67.';
    const findings = spamPhase(makeContext({ text }))?.findings ?? [];
    expect(findings.map((f) => [f.rule, text.slice(...(f.span ?? [0, 0]))])).toEqual([
      ['spam.contact', 'deals@offer.example.com'],
      ['spam.contact', '+7 495 123-45-67'],
    ]);
  });

  it('when numbers are years, money or thousands, then they are not phone numbers', () => {
    expect(rulesFor('Budgets for 2022 2023 2024 rose by 100.000.000 euros, or $1,250,000,000.')).toEqual([]);
  });

  it('when digits belong to an identifier (a UUID group, a hyphenated code), then they are not a phone number', () => {
    expect(rulesFor('My ticket is afd21802-e91e-4413-a4a7-488649600497, order SKU-123456789.')).toEqual([]);
    expect(rulesFor('Call 0800-123456789 or +44 20 7946 0958')).toEqual(['spam.contact', 'spam.contact']);
  });

  it('when the comment is ordinary, then the phase says nothing', () => {
    expect(spamPhase(makeContext())).toBeUndefined();
  });
});
