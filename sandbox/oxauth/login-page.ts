// The default login page as the browser gets it (oxAuth 4.2.3
// Server/src/main/webapp/login.xhtml in WEB-INF/incl/layout/login-template.xhtml,
// messages from oxauth_en.properties). Rendered by Mojarra with ":" as the
// id separator; the view is transient, so the view state is "stateless".
// Markup around the ids is modelled on the facelets, not captured from a
// live server (unknown attributes such as placeholder/colMd are not rendered
// by Mojarra 2.3 without the pass-through namespace).
//   form      id/name loginForm, POST /oxauth/login.htm (the view's action URL)
//   inputs    loginForm:username (text), loginForm:password (password),
//             rememberme (plain checkbox, value "rememberme"),
//             loginForm:platform (hidden), javax.faces.ViewState=stateless
//   button    loginForm:loginButton, value "    Login" (four leading spaces)
//   title     oxAuth - Login
import { escapeHtml } from './page-html';

export const LOGIN_MESSAGES = {
  /** login.errorMessage: shown only for an empty result (RESULT_FAILURE), see login-flow.ts. */
  incorrect: 'Incorrect username or password.',
  /** Mojarra javax.faces.component.UIInput.REQUIRED with the component's client id as label. */
  usernameRequired: 'loginForm:username: Validation Error: Value is required.',
  sessionInvalid:
    'Failed to authenticate. Authentication session has expired. Please navigate back to the original page and try again.',
  alreadyAuthenticated: 'User is already authenticated. Re-send authorization request (must be handled by RP).',
} as const;

function messagesBlock(messages: readonly string[]): string {
  if (messages.length === 0) return '';
  const items = messages.map((m) => `<li class="text-center">${escapeHtml(m)}</li>`).join('');
  return `<ul style="color:#8b0000;margin:5px;margin-left:20px; font-size:2vw;">${items}</ul>`;
}

export function renderLoginPage(messages: readonly string[] = [], username = ''): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
        "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
		<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<title>oxAuth - Login</title>
		<link rel="icon" href="/oxauth/servlet/favicon" type="image/x-icon" />
		<link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/style.css" />
		<link type="text/css" rel="stylesheet" href="/oxauth/stylesheet/bootstrap.min.css" />
		<link rel="stylesheet" href="/oxauth/stylesheet/fontawesome.min.css" />
		<script src="/oxauth/js/jquery-3.4.1.min.js"></script>
		<script src="/oxauth/js/bootstrap.min.js"></script>
		<script src="/oxauth/js/platform.js"></script>
		<meta name="description" content="Gluu, Inc." /></head><body>
		<div>
			<div class="login-logo">
				<img style="max-height: 70px; padding-bottom: 2px;" id="AppLogo" src="/oxauth/servlet/logo" />
			</div>
			<div class="bs-docs-section" style="border-top: 2px solid #1ab26b !important; margin-bottom: 5px !important; margin-top: 1px !important; padding-top: 1px !important;"></div>
		</div>
		<div class="body">
		<div class="container">
				<div class="login_bx_1" style="border-radius: 10px; margin-top: 0px; background: white; border: 1px solid #008b8b;">
					<div class="row">${messagesBlock(messages)}
					</div>
<form id="loginForm" name="loginForm" method="post" action="/oxauth/login.htm" enctype="application/x-www-form-urlencoded" style="padding:30px;">
<input type="hidden" name="loginForm" value="loginForm" />

						<div class="row">
							<div class="col-sm-3 col-md-3">Username
							</div>
							<div class="col-sm-9 col-md-9"><input id="loginForm:username" type="text" name="loginForm:username" value="${escapeHtml(username)}" autocomplete="off" class="form-control" style="width:100%" />
							</div>
						</div>
						<div class="form-group row"></div>
						<div class="row">
							<div class="col-sm-3 col-md-3">Password
							</div>
							<div class="col-sm-9 col-md-9"><input id="loginForm:password" type="password" name="loginForm:password" value="" autocomplete="off" class="form-control" />
							</div>
						</div>
						<div class="form-group row"></div>
						<div class="row">
							<div class="col-sm-5 col-md-5"><label for="rememberme" class="col-form-label">Remember me</label>
							</div>
							<div class="col-sm-2 col-md-2" style="padding-top: 15px">
								<input type="checkbox" value="rememberme" id="rememberme" name="rememberme" />
							</div>
						</div>
						<div class="form-group row">
							<div class="col-sm-offset-2 offset-md-2 col-sm-8 col-md-8"><input id="loginForm:loginButton" type="submit" name="loginForm:loginButton" value="    Login" style="background-color: #00BE79; color:white;" class="btn col-sm-12" onclick="checkRemembeMe()" />
							</div>
						</div>
						<div class="form-group row">
							<div class="col-sm-offset-3 offset-md-3 col-sm-7 col-md-7">
								<div class="forgot_link">
									<a href="/identity/person/passwordReminder.htm" style="color: blue;"> Forgot your password?
									</a>
								</div>
							</div>
						</div><input id="loginForm:platform" type="hidden" name="loginForm:platform" /><input type="hidden" name="javax.faces.ViewState" id="j_id1:javax.faces.ViewState:0" value="stateless" autocomplete="off" />
</form>
				</div>
		</div>
		<script type="text/javascript">
            window.onload = function () {
                var userNameField = document.getElementById("loginForm:username");
                var passwordField = document.getElementById("loginForm:password");
                passwordField.value = "";
                userNameField.focus();
            };
            function checkRemembeMe() {
                if (typeof $ === 'undefined') return;
                if ($('#rememberme').is(':checked')) {
                    localStorage.usrname = document.getElementById("loginForm:username").value;
                    localStorage.chkbx = $('#rememberme').val();
                } else {
                    localStorage.usrname = '';
                    localStorage.chkbx = '';
                }
            }
        </script>
		</div></body>
	<footer class="footer" id="appFooter">
	<div class="row" style="margin-top: 20px;">
		<div class="col-sm-3"></div>
		<div class="col-sm-6 centered" style="text-align: center;">
			<p class="centered">
				&copy; <a target="_blank" href="https://github.com/GluuFederation/oxAuth/blob/master/LICENSE">Gluu, Inc</a> | <a target="_blank" href="">Privacy Policy</a> | <a target="_blank" href="">Terms of Service</a>
			</p>
		</div>
		<div class="col-sm-3"></div>
	</div>
	</footer>
</html>`;
}
