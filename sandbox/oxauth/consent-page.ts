// The consent page at {AS}/oxauth/authorize.htm (oxAuth 4.2.3
// Server/src/main/webapp/authorize.xhtml in authorize-extended-template.xhtml
// and authorize-template.xhtml; texts from oxauth_en.properties).
//   form     id/name authorizeForm, POST /oxauth/authorize.htm
//   hidden   authorizeForm:session_id (authorizeAction.sessionId: the
//            session_id request parameter, empty in the normal flow)
//   links    authorizeForm:doNotAllowButton "Don't Allow", then
//            authorizeForm:allowButton "Allow" (h:commandLink: the click
//            submits the form with <id>=<id> through Mojarra's jsfcljs)
//   title    oxAuth (the template's fixed title; pageTitle is not used)
// jsf.js is served by the sandbox as its own small script with the one
// function the links call (static-assets.ts).
import type { ClientRecord } from './store';
import { escapeHtml } from './page-html';

/** Scope descriptions of CES templates/scopes.ldif (what the page lists). */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Authenticate using OpenID Connect.',
  profile: 'View your basic profile info.',
  email: 'View your email address.',
  address: 'View your address.',
  phone: 'View your phone number.',
  clientinfo: 'View the client info.',
  user_name: 'View your local username in the Gluu Server.',
  uma_protection: 'Obtain UMA PAT.',
  oxd: 'oxd scope which is required to call oxd API',
  revoke_session: 'revoke_session scope which is required to be able call /revoke_session endpoint',
  mobile_phone: 'View your mobile phone number.',
  permission: 'View your user permission and roles.',
  offline_access: 'This scope value requests that an OAuth 2.0 Refresh Token be issued.',
};

function commandLink(id: string, cssClass: string, text: string): string {
  const clientId = `authorizeForm:${id}`;
  return `<a id="${clientId}" href="#" class="${cssClass}" onclick="mojarra.jsfcljs(document.getElementById('authorizeForm'),{'${clientId}':'${clientId}'},'');return false">${escapeHtml(text)}</a>`;
}

export function renderConsentPage(client: ClientRecord, scopes: readonly string[], sessionIdParam: string): string {
  const name = client.clientName.trim() === '' ? client.clientId : client.clientName;
  const items = scopes
    .filter((s) => SCOPE_DESCRIPTIONS[s] !== undefined)
    .map((s) => `
								<li>
									<table>
										<tr>
											<td><span class="user"><i class="fa fa-user-circle"></i></span></td>
											<td>${escapeHtml(SCOPE_DESCRIPTIONS[s])}</td>
										</tr>
									</table>
								</li>`)
    .join('');
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
                "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
        <title>oxAuth</title>
		<link rel="icon" href="/oxauth/img/favicon_icosahedron.ico" />
		<link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/site.css" />
		<link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/authorize.css" />
		<link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/bootstrap.min.css" />
		<link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/font-awesome.css" />
		<style type="text/css"></style><script type="text/javascript" src="/oxauth/javax.faces.resource/jsf.js.htm?ln=javax.faces"></script></head><body>
        <div class="body">
        	<div id="status" class="modal"><span style="background-color: #006699; color: white; font-weight: bold; position: fixed; left: 0px; top: 0px; padding: 5px 5px 5px 5px">Loading...</span></div>
<form id="authorizeForm" name="authorizeForm" method="post" action="/oxauth/authorize.htm" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="authorizeForm" value="authorizeForm" />
<input id="authorizeForm:session_id" type="hidden" name="authorizeForm:session_id" value="${escapeHtml(sessionIdParam)}" />
			<div class="notification_popup">
				<div class="not_header"></div>
				<div class="not_header">
					<div>
						<div class="login-logo">
							<img style="max-height: 70px; padding-bottom: 2px;" id="AppLogo" src="/oxauth/servlet/logo" />
						</div>
						<div class="bs-docs-section" style="border-top: 2px solid #1ab26b !important; margin-bottom: 5px !important; margin-top: 1px !important; padding-top: 1px !important;"></div>
					</div>
				</div>
				<div class="not_body">
					<h3>Request for Permission
					</h3>
					<h3>
						<p class="info">${escapeHtml(name)} is requesting permission to do the following:
						</p>
					</h3>
					<ul>${items}
					</ul>
					<div class="btn_rw">${commandLink('doNotAllowButton', 'button button-default', "Don't Allow")}&nbsp;${commandLink('allowButton', 'button button-primary', 'Allow')}
					</div>
				</div>
				<center>
					Powered by <a href="http://www.gluu.org">Gluu</a>.
					Free and open source access management.
				</center>
			</div><input type="hidden" name="javax.faces.ViewState" id="j_id1:javax.faces.ViewState:0" value="stateless" autocomplete="off" />
</form>
        </div></body>
</html>`;
}
