// UMA scope descriptions GET {AS}/oxauth/restv1/uma/scopes/{oxId}
// (oxauth.md §10; UmaScopeWS): {"name","icon_uri","description"} with nulls,
// or 404 not_found. The lookup is by oxId over the whole scopes branch.
import type * as http from 'node:http';
import { send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { umaError } from './errors';
import { jacksonCompact } from './java-json';

export function scopeDescription(as: AsContext, req: Request, res: http.ServerResponse): void {
  const id = req.params.id ?? '';
  const scope = id.trim() === '' ? undefined : as.store.scope(id);
  if (!scope) throw umaError(404, 'not_found', 'Not found.');
  send(res, 200, jacksonCompact({ name: scope.id, icon_uri: scope.iconUri, description: scope.description }), { 'Content-Type': 'application/json' });
}
