// Requirement ids (uma2-requirements.md) → the UMA 2.0 specification section.
// Ids look like UMA-GRANT-3.3.3-NEW-TICKET or UMA-FEDAUTHZ-5.1.1-NO-SCOPE.

const SPECS: Record<string, string> = {
  GRANT: 'https://docs.kantarainitiative.org/uma/wg/rec-oauth-uma-grant-2.0.html',
  FEDAUTHZ: 'https://docs.kantarainitiative.org/uma/wg/rec-oauth-uma-federated-authz-2.0.html',
};

const ID = /^UMA-(GRANT|FEDAUTHZ)-(\d+(?:\.\d+)*)-[A-Z0-9-]+$/;

export function isRequirementId(id: string): boolean {
  return ID.test(id);
}

export function requirementUrl(id: string): string {
  const m = ID.exec(id);
  if (!m) return '';
  // xml2rfc section anchors, as in the Kantara HTML renderings.
  return `${SPECS[m[1]]}#rfc.section.${m[2]}`;
}
