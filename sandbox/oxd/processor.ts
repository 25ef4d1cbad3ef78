// One command call, in RestResource.process order: caller IP check, Jackson
// binding of the body, the token check for protected commands, then oxd's
// Processor (params present, oxd_id present, operation). Each failure is
// turned into the body shape the real server sends (oxd.md §2.2).
import { headerValue, type Request } from '../lib/http';
import { assertCallerAllowed, checkCommandAuthorization, COMMAND_TYPES, type CommandName } from './command-auth';
import type { OxdDeps } from './deps';
import {
  ClientResponseFailure,
  ContainerError,
  containerErrorBody,
  JsonAnswer,
  OxdError,
  PARSE_ERROR_PREFIX,
  ParamsError,
  unhandledErrorMessage,
} from './errors';
import { bindParams, isNullOrEmpty, str, type ClassSpec, type Params } from './params';
import { nonEmptyJson, type SharedMapper } from './serialize';

export interface Outcome {
  status: number;
  body: string;
  contentType: string;
}

export interface CommandDef {
  command: CommandName;
  params: ClassSpec;
  /** The Processor's HasOxdIdParams check (bad_request when oxd_id is empty). */
  needsOxdId: boolean | ((p: Params) => boolean);
  execute(deps: OxdDeps, params: Params): Promise<unknown>;
}

const JSON_TYPE = 'application/json';

export function jsonOutcome(status: number, body: unknown): Outcome {
  return { status, body: nonEmptyJson(body), contentType: JSON_TYPE };
}

/** Dropwizard LoggingExceptionMapper for anything that is not a web exception. */
export function unhandledOutcome(): Outcome {
  return jsonOutcome(500, containerErrorBody(500, unhandledErrorMessage()));
}

/** An exception raised before the Processor (LoggingExceptionMapper sees it as-is). */
class Unhandled extends Error {
  constructor(override readonly cause: unknown) {
    super('unhandled');
  }
}

/** Written by oxd's shared mapper (HttpException, Jackson2.asJson of an operation's entity). */
function mapperOutcome(mapper: SharedMapper, status: number, javaClass: string, body: unknown): Outcome {
  return { status, body: mapper.write(javaClass, body), contentType: JSON_TYPE };
}

export function errorOutcome(err: unknown, log: (m: string) => void, mapper: SharedMapper): Outcome {
  if (err instanceof OxdError) return mapperOutcome(mapper, err.status, 'ErrorResponse', err.body);
  // Every JsonAnswer needs a stored site, so the mapper has left nulls out by then.
  if (err instanceof JsonAnswer) return jsonOutcome(err.status, err.body);
  if (err instanceof ContainerError) return jsonOutcome(err.status, containerErrorBody(err.status, err.message));
  // Jersey writes the String entity with the resource's @Produces type (DEVIATIONS: content type).
  if (err instanceof ParamsError) return { status: 400, body: PARSE_ERROR_PREFIX + err.parserMessage, contentType: JSON_TYPE };
  const cause = err instanceof Unhandled ? err.cause : err;
  log(`unhandled: ${cause instanceof Error ? cause.message : String(cause)}`);
  return unhandledOutcome();
}

/** Processor.process: anything but a web exception becomes internal_error. */
async function processCommand(def: CommandDef, deps: OxdDeps, params: Params | null): Promise<unknown> {
  try {
    if (params === null) throw new OxdError('INTERNAL_ERROR_NO_PARAMS');
    const needsOxdId = typeof def.needsOxdId === 'function' ? def.needsOxdId(params) : def.needsOxdId;
    if (needsOxdId && isNullOrEmpty(str(params, 'oxd_id'))) throw new OxdError('BAD_REQUEST_NO_OXD_ID');
    return await def.execute(deps, params);
  } catch (err) {
    if (err instanceof OxdError || err instanceof JsonAnswer || err instanceof ContainerError) throw err;
    if (err instanceof ClientResponseFailure) throw new ContainerError(err.status, err.entity);
    deps.log(`${def.command} failed: ${err instanceof Error ? err.message : String(err)}`);
    throw new OxdError('INTERNAL_ERROR_UNKNOWN');
  }
}

export async function runCommand(def: CommandDef, deps: OxdDeps, req: Request): Promise<Outcome> {
  try {
    assertCallerAllowed(deps.config.bindIpAddresses, req.remoteAddress);
    const params = bindParams(req.body, def.params);
    if (COMMAND_TYPES[def.command].authorizationRequired) {
      const authorizationOxdId = headerValue(req, 'AuthorizationOxdId');
      try {
        // safeToOxdId: the header's oxd_id, else params.getOxdId() (a NullPointerException on a `null` body).
        if (params === null && isNullOrEmpty(authorizationOxdId)) throw new TypeError('params is null');
        const bodyOxdId = params?.oxd_id as string | null | undefined; // the binder makes it a string or null
        await checkCommandAuthorization(deps, { authorization: headerValue(req, 'Authorization'), authorizationOxdId }, bodyOxdId);
      } catch (err) {
        if (err instanceof OxdError) throw err;
        throw new Unhandled(err);
      }
    }
    // RestResource.process line 302: Jackson2.asJsonSilently(response); one response class per command (the key of
    // the serializer cache; POJOResponse wraps a JsonNode, written as it is either way).
    return mapperOutcome(deps.mapper, 200, `response of ${def.command}`, await processCommand(def, deps, params));
  } catch (err) {
    return errorOutcome(err, deps.log, deps.mapper);
  }
}
