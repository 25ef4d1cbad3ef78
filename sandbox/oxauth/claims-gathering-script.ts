// The installed claims-gathering script `sampleClaimsGathering` (CES
// static/extension/uma_claims_gathering/uma_claims_gathering.py, inum
// 2DAF-F996; oxauth.md §5) as data: one page per step, each storing the
// submitted field into the ticket's PCT. Any value is accepted, even "".

export interface GatheringStep {
  /** getPageForStep: the Facelets view; served as `.htm` under /oxauth. */
  page: string;
  /** The form field (`loginForm:<claim>`) and the PCT claim it fills. */
  claim: string;
  /** The h:outputLabel text. */
  label: string;
  /** f:viewAction onPostback: country.xhtml re-runs prepareForStep on submit, city.xhtml does not. */
  viewActionOnPostback: boolean;
}

export interface ClaimsGatheringScript {
  name: string;
  steps: readonly GatheringStep[];
}

export const SAMPLE_CLAIMS_GATHERING: ClaimsGatheringScript = {
  name: 'sampleClaimsGathering',
  steps: [
    { page: '/uma2/sample/country.xhtml', claim: 'country', label: 'Country', viewActionOnPostback: true },
    { page: '/uma2/sample/city.xhtml', claim: 'city', label: 'City', viewActionOnPostback: false },
  ],
};

export const CLAIMS_GATHERING_SCRIPTS: readonly ClaimsGatheringScript[] = [SAMPLE_CLAIMS_GATHERING];

/** getStepsCount. */
export function stepsCount(script: ClaimsGatheringScript): number {
  return script.steps.length;
}

/** getPageForStep (1-based); "" past the last step. */
export function pageForStep(script: ClaimsGatheringScript, step: number): string {
  return script.steps[step - 1]?.page ?? '';
}

/**
 * gather(step, context): true and the claim stored when the step's field was
 * submitted (containsKey, so "" counts); false otherwise.
 */
export function gather(
  script: ClaimsGatheringScript,
  step: number,
  pageClaims: ReadonlyMap<string, string>,
  putClaim: (name: string, value: string) => void,
): boolean {
  const s = script.steps[step - 1];
  if (!s || !pageClaims.has(s.claim)) return false;
  putClaim(s.claim, pageClaims.get(s.claim) ?? '');
  return true;
}

/** The URL path a page is served at: `.xhtml` → `.htm` under the /oxauth context. */
export function pagePath(page: string): string {
  return '/oxauth' + page.replace(/\.xhtml$/, '') + '.htm';
}

/** The step whose page is served at this URL path, or undefined. */
export function stepOfPath(script: ClaimsGatheringScript, path: string): number | undefined {
  const i = script.steps.findIndex((s) => pagePath(s.page) === path);
  return i === -1 ? undefined : i + 1;
}
