// The sample claims-gathering pages {AS}/oxauth/uma2/sample/country.htm and
// city.htm (Faces views country.xhtml/city.xhtml in template.xhtml, bean
// `gatherer` = UmaGatherer; oxauth.md §5) and the error page
// {AS}/oxauth/error.htm.
// GET (and a POST that is no postback) runs the view action prepareForStep;
// a postback submits the form and runs gather(). Navigation outcomes with no
// rule ("true"/"false") re-render the page with 200.
import type * as http from 'node:http';
import { parseForm, send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { gatheringScript } from './as-context';
import { gather, pageForStep, pagePath, stepsCount, type ClaimsGatheringScript, type GatheringStep } from './claims-gathering-script';
import { cookieHeaders, existingSession, getSession, getStep, isPassedPreviousSteps, markStep, setStep } from './uma-session';
import type { UmaSession } from './store';

/** oxauth_en.properties keys the gatherer shows (oxauth.md §5). */
export const GATHER_MESSAGES = {
  failure: 'Failed to gather claims.',
  invalid_step: 'Invalid step provided during claims-gathering flow.',
  expired: 'Failed to gather claims. Session has expired.',
} as const;

type ViewOutcome = 'success' | keyof typeof GATHER_MESSAGES;

/** uma2.sample.navigation.xml: these outcomes redirect to /error.xhtml; "expired" has no rule. */
const TO_ERROR_PAGE: readonly ViewOutcome[] = ['failure', 'invalid_step'];

const ERROR_PAGE_PATH = '/oxauth/error.htm';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function messagesList(id: string, cssClass: string, messages: readonly string[]): string {
  if (messages.length === 0) return '';
  const items = messages.map((m) => `<li class="errormsg"> ${escapeHtml(m)} </li>`).join('');
  return `<ul id="${id}" class="${cssClass}">${items}</ul>`;
}

const HTML_HEAD = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
                "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">`;

/** template.xhtml around the step's h:form (Mojarra, id separator ":"). */
export function renderGatheringPage(step: GatheringStep, messages: readonly string[] = []): string {
  const action = pagePath(step.page);
  const field = `loginForm:${step.claim}`;
  return `${HTML_HEAD}<head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
        <title>oxAuth</title>
        <link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/theme.xcss" />
        <link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/theme.css" />
        <link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/site.css" />
        <style type="text/css">
        </style></head><body>
        <div class="body">
        	<div id="status" class="modal"><span style="background-color: #006699; color: white; font-weight: bold; position: fixed; left: 0px; top: 0px; padding: 5px 5px 5px 5px">Loading...</span></div>
			<script type="text/javascript">
				function handleAjax(data) {
					var status = data.status;
					switch (status) {
					case "begin":
						document.getElementById('status').className = 'loading';
						break;

					case "complete":
						break;

					case "success":
						document.getElementById('status').className = 'modal';
						break;
					}
				}

				if (!(typeof jsf === 'undefined')) {
					jsf.ajax.addOnEvent(handleAjax);
				}
			</script>${messagesList('messages', 'message', messages)}
<form id="loginForm" name="loginForm" method="post" action="${action}" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="loginForm" value="loginForm" />
<label for="${field}">${escapeHtml(step.label)}</label><br /><input id="${field}" type="text" name="${field}" autocomplete="off" />

            <div class="actionButtons"><input id="loginForm:gather" type="submit" name="loginForm:gather" value="Submit" />
            </div><input type="hidden" name="javax.faces.ViewState" id="j_id1:javax.faces.ViewState:0" value="stateless" autocomplete="off" />
</form>
        </div></body>
</html>`;
}

/** error.xhtml in login-extended-template.xhtml. */
export function renderErrorPage(messages: readonly string[], nowMs: number): string {
  const at = new Date(nowMs).toISOString().replace('T', ' ').slice(0, 19);
  return `${HTML_HEAD}<head>
		<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<title></title>
		<link rel="icon" href="/oxauth/servlet/favicon" type="image/x-icon" /></head><body>
		<div class="container-fluid" style="padding-bottom: 5%; width: 50%; height: 50%;">
			<div class="row">
				<div class="text-center col-sm-12">
					<div class="section">
						<h1 style="font-size: 3em; font-weight: bold; font-family: Arial">
							OOPS</h1>
					</div>
					<div class="section text-center">
						<p>An unexpected error has occurred at ${at}
						</p>
						<div class="body text-center">${messagesList('globalMessage', 'message text-center', messages)}
						</div>
					</div>
				</div>
			</div>
		</div>
		<div class="footer-copyright text-center py-3" style="background: #1ab26b; position: fixed; left: 0; bottom: 0; width: 100%; text-align: center;">
			<div class="footer">
				<div class="row">
					<div class="col-md-12">
						<div class="padding_spc" style="padding-bottom: 5px; padding-top: 5px;">
							<p>Gluu, Inc
								| <a target="_blank" href="https://github.com/GluuFederation/oxAuth/blob/master/LICENSE">Use subject to MIT LICENSE</a>
							</p>
						</div>
					</div>
				</div>
			</div>
		</div></body>
</html>`;
}

const HTML = { 'Content-Type': 'text/html;charset=UTF-8' };

/**
 * UmaGatherer.prepareForStep. The step it checks is the session's, not the
 * page's (oxAuth version_4.2.3 Server/src/main/java/org/gluu/oxauth/uma/service/
 * UmaGatherer.java lines 197-210: getStep(session), then isPassedPreviousSteps
 * (session, step)): city.htm opened straight after gather_claims (step 1)
 * renders the City page; a submit there gathers for step 1 (issue 14 item 5).
 */
function prepareForStep(as: AsContext, session: UmaSession): ViewOutcome {
  if (session.attributes.size === 0) return 'expired';
  const script = gatheringScript(as, session.attributes.get('gather_script_name'));
  // The gather context loads the script's configuration and the session's PCT first.
  if (!script || !as.store.pct(session.attributes.get('pct'))) return 'failure';
  const step = getStep(session);
  if (step < 1) return 'invalid_step';
  if (!isPassedPreviousSteps(session, step)) return 'failure';
  return 'success';
}

type GatherResult = { redirect: string } | { stay: true };

/** UmaGatherer.onSuccess: rotate the ticket again and build the claims_redirect_uri redirect. */
function onSuccess(as: AsContext, session: UmaSession): GatherResult {
  const ticket = session.attributes.get('ticket') ?? '';
  const permissions = as.store.permissionsByTicket(ticket);
  // permissions.get(0) on a ticket already replaced throws: gather() returns false.
  if (permissions.length === 0) return { stay: true };
  const newTicket = as.faults.on('gathering-same-ticket')
    ? ticket
    : // UmaGatherer.onSuccess (4.2.3 l. 132-134) moves the entries even when an RPT already names
      // them, so that RPT introspects with no permissions (SEC-AS-REGATHER-REVOKES-RPT).
      as.store.changeTicket(permissions, { ...permissions[0].attributes }, as.faults.on('ticket-reusable') || as.faults.on('fix-gathering-keeps-granted'));
  const cru = session.attributes.get('claims_redirect_uri') ?? '';
  // Case 2c (DIV-AS-06): "Redirect to claims_redirect_uri is skipped".
  if (cru.trim() === '') return { stay: true };
  let state = session.attributes.get('state') ?? '';
  if (as.faults.on('state-dropped')) state = '';
  else if (as.faults.on('state-altered') && state !== '') state = `${state}x`;
  // addQueryParameter: raw values, "&" when the URI already has "?", state before ticket.
  let url = as.faults.on('cru-query-dropped') ? cru.replace(/\?.*$/, '') : cru;
  if (state.trim() !== '') url += (url.includes('?') ? '&' : '?') + `state=${state}`;
  url += (url.includes('?') ? '&' : '?') + `ticket=${newTicket}`;
  return { redirect: url };
}

/** UmaGatherer.gather for a submitted page. */
function gatherStep(as: AsContext, session: UmaSession, script: ClaimsGatheringScript | undefined, pageClaims: Map<string, string>): GatherResult {
  const pct = as.store.pct(session.attributes.get('pct'));
  if (!script || !pct) return { stay: true };
  const step = getStep(session);
  if (!isPassedPreviousSteps(session, step)) return { stay: true };
  const gathered = gather(script, step, pageClaims, (name, value) => pct.claims.setClaimObject(name, value, true));
  if (!gathered) return { stay: true };
  const count = as.faults.on('city-page-skipped') ? 1 : stepsCount(script);
  if (step < count) {
    markStep(session, step);
    setStep(session, step + 1);
    return { redirect: as.urls.issuer + pagePath(pageForStep(script, step + 1)) };
  }
  if (step === count) return onSuccess(as, session);
  return { stay: true };
}

export function gatheringPage(as: AsContext, script: ClaimsGatheringScript, pageStep: number, req: Request, res: http.ServerResponse): void {
  const step = script.steps[pageStep - 1];
  const form = req.method === 'POST' ? parseForm(req.body) : new URLSearchParams();
  const postback = req.method === 'POST' && form.has('javax.faces.ViewState');
  const { session, setCookies } = getSession(as, req);
  const headers = cookieHeaders(setCookies);
  const messages: string[] = [];

  if (!postback || step.viewActionOnPostback) {
    const outcome = prepareForStep(as, session);
    if (TO_ERROR_PAGE.includes(outcome)) {
      session.flash.push(GATHER_MESSAGES[outcome as keyof typeof GATHER_MESSAGES]);
      send(res, 302, '', { Location: as.urls.issuer + ERROR_PAGE_PATH, ...headers });
      return;
    }
    if (outcome === 'expired') messages.push(GATHER_MESSAGES.expired);
  }

  // The command button fires only when its form was submitted with it.
  if (postback && form.get('loginForm') === 'loginForm' && form.has('loginForm:gather')) {
    const pageClaims = new Map<string, string>();
    const field = `loginForm:${step.claim}`;
    if (form.has(field)) pageClaims.set(step.claim, form.get(field) ?? '');
    const result = gatherStep(as, session, gatheringScript(as, session.attributes.get('gather_script_name')), pageClaims);
    if ('redirect' in result) {
      send(res, 302, '', { Location: result.redirect, ...headers });
      return;
    }
  }
  send(res, 200, renderGatheringPage(step, messages), { ...HTML, ...headers });
}

export function errorPage(as: AsContext, req: Request, res: http.ServerResponse): void {
  const session = existingSession(as, req);
  const messages = session ? session.flash.splice(0) : [];
  send(res, 200, renderErrorPage(messages, as.store.now()), HTML);
}
