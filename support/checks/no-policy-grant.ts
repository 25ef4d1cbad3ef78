// Flow C′: a scope that carries no policy. Whether the AS grants it depends on
// one setting, oxAuth's umaGrantAccessIfNoPolicies: CES 4.2 ships false, the
// tutorial's administrator turns it on (shared/reference/README.md set-up step 9,
// oxauth.md §3 step 5 and §11). A stock Gluu Server answers 403 forbidden_by_policy
// (oxd passes it on as is, oxd.md §5), a correct deployment the suite must not fail.
import type { Exchange } from '../http';
import { bodyObject } from '../http';
import { verify, type CheckContext } from './core';

/** The answer umaGrantAccessIfNoPolicies=false gives: 403 and no RPT (oxAuth's forbidden_by_policy, UMA's request_denied). */
export function refusedForNoPolicy(x: Exchange): boolean {
  const error = bodyObject(x).error;
  return x.response.status === 403 && (error === 'forbidden_by_policy' || error === 'request_denied');
}

/** The skip reason when the operator did not say how the AS is configured and it refused. */
export const NO_POLICY_SKIP_REASON =
  'Skipped: the authorization server refuses an RPT for a scope without a policy (403 forbidden_by_policy), ' +
  'which is what Gluu Server 4.2 does with umaGrantAccessIfNoPolicies=false, its shipped default. The tutorial turns ' +
  'it on (oxTrust > JSON Configuration > oxAuth); set UMA_GRANT_ACCESS_IF_NO_POLICIES=true once it is on, so that a refusal fails.';

export const NO_POLICY_OFF_REASON =
  'Skipped: UMA_GRANT_ACCESS_IF_NO_POLICIES=false says the authorization server keeps umaGrantAccessIfNoPolicies=false (CES 4.2 default), so a scope without a policy gets no RPT.';

/** The operator said umaGrantAccessIfNoPolicies is on: a refusal is a failure that names the setting. */
export function grantedWithoutPolicy(ctx: CheckContext, x: Exchange): void {
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.5-SUCCESS-FORM',
    aspect: 'RPT for a scope without a policy',
    failure:
      'No RPT was issued for a scope without a policy, although UMA_GRANT_ACCESS_IF_NO_POLICIES=true says the authorization server has ' +
      'umaGrantAccessIfNoPolicies=true. Check that setting in oxTrust (JSON Configuration > oxAuth; CES 4.2 ships false) and that the scope has no policy attached.',
    expected: 'status 200 with an access_token (the RPT)',
    actual: `status ${x.response.status}, ${typeof bodyObject(x).error === 'string' ? `error ${String(bodyObject(x).error)}` : 'no error member'}`,
    pass: x.response.status === 200 && typeof bodyObject(x).access_token === 'string',
    evidence: x,
  });
}
