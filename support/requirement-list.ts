// The one list of requirement ids the suite reports on: UMA 2.0's
// (support/uma2-requirements.ts, from uma2-requirements.md) and the second
// tutorial's OpenID Connect / RFC ones (support/requirements.ts). The
// conformance statement has exactly one row per id here, tested or not.
import { OTHER_REQUIREMENTS, requirementUrl } from './requirements';
import { UMA2_REQUIREMENTS } from './uma2-requirements';

export interface ListedRequirement {
  id: string;
  /** The specification the id comes from, in words. */
  spec: string;
  level: string;
  text: string;
  url: string;
}

function specOf(id: string): string {
  if (id.startsWith('UMA-GRANT-')) return 'UMA 2.0 Grant';
  if (id.startsWith('UMA-FEDAUTHZ-')) return 'UMA 2.0 Federated Authorization';
  if (id.startsWith('OIDC-CORE-')) return 'OpenID Connect Core 1.0';
  if (id.startsWith('OIDC-RPLOGOUT-')) return 'OpenID Connect RP-Initiated Logout 1.0';
  if (id.startsWith('GG-TUTORIAL-')) return 'Gluu Gateway 4.2 UMA claims gathering tutorial';
  const rfc = /^RFC(\d+)-/.exec(id);
  return rfc ? `RFC ${rfc[1]}` : 'other';
}

export function listedRequirements(): ListedRequirement[] {
  const uma = UMA2_REQUIREMENTS.map((r) => ({ ...r, spec: specOf(r.id), url: requirementUrl(r.id) }));
  const other = Object.entries(OTHER_REQUIREMENTS).map(([id, r]) => ({ id, spec: specOf(id), level: '', text: r.text, url: r.url }));
  return [...uma, ...other];
}

export { specOf };
