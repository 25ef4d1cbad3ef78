// The static files the Faces pages link (oxAuth serves them from the war:
// /oxauth/stylesheet/*, Mojarra's /oxauth/javax.faces.resource/jsf.js.htm).
// Every page links them at #{oxAuthConfigurationService.getCssLocation()},
// which is the context path + "/stylesheet" when cssLocation is empty, as CES
// 4.2's oxauth-config.json ships it (oxAuth version_4.2.3
// Server/src/main/java/org/gluu/oxauth/service/OxAuthConfigurationService.java
// lines 34-43; WEB-INF/incl/layout/template.xhtml lines 11-13). Nothing is
// served under /oxauth/ext/resources/stylesheet/ (no custom files in CES).
// The sandbox serves small stylesheets of its own so the pages are not unstyled, and a jsf.js with
// only mojarra.jsfcljs (what h:commandLink calls: add <id>=<id> to the form
// and submit it). Bootstrap, jQuery, Font Awesome and platform.js are not
// shipped: those paths answer 404 (DEVIATIONS.md).
import type * as http from 'node:http';
import { send, type Request } from '../lib/http';
import type { AsContext } from './as-context';

const BASE_CSS = `body { font-family: "Open Sans", Arial, sans-serif; background: #f5f7f6; color: #333; margin: 0; }
.container, .notification_popup { max-width: 560px; margin: 40px auto; }
.login_bx_1, .notification_popup { background: #fff; border: 1px solid #008b8b; border-radius: 10px; padding: 10px 20px; }
.row { display: flex; flex-wrap: wrap; align-items: center; margin: 6px 0; }
.col-sm-3 { width: 25%; } .col-sm-9 { width: 75%; } .col-sm-5 { width: 42%; } .col-sm-2 { width: 16%; }
.col-sm-8, .col-sm-7 { width: 66%; } .col-sm-12 { width: 100%; }
.form-control { box-sizing: border-box; width: 100%; padding: 6px 8px; border: 1px solid #ccc; border-radius: 4px; }
.btn, .button { display: inline-block; padding: 8px 16px; border-radius: 4px; border: 0; cursor: pointer; text-decoration: none; }
.button-primary { background: #00be79; color: #fff; } .button-default { background: #e6e6e6; color: #333; }
.footer { text-align: center; font-size: 12px; color: #fff; background: #00be79; padding: 4px; }
.login-logo { text-align: center; padding: 8px; } .modal { display: none; }
`;

/**
 * The sample claims-gathering template links theme.xcss, theme.css and site.css
 * only; none of oxAuth 4.2's has a rule for `.modal` (only Bootstrap's does), so
 * on those pages the template's fixed "Loading..." banner stays visible at the
 * top left, as it does on a real Gluu Server. theme.xcss is an Exadel skin
 * template (XML), not CSS: a browser applies nothing from it.
 */
const THEME_CSS = `html { overflow-y: scroll; }
body { font-size: 12px; margin: 0; font-family: Arial, sans-serif; }
h1 { font-size: 1.6em; margin-top: 0; }
input[type=submit], input[type=button] { font-size: 11px; margin: 5px 5px 5px 0; cursor: pointer; }
input[type=text], input[type=password], textarea { font-size: 12px; padding-left: 1px; }
`;
const SITE_CSS = `.alignCenter { text-align: center; } .alignRight { text-align: right; } .alignLeft { text-align: left; }
.bolded { font-weight: bold; } .nowrap { white-space: nowrap; } .width100 { width: 100%; }
`;
const XCSS = '/* an Exadel skin template in the real war: nothing a browser applies */\n';

const STYLESHEETS: Record<string, string> = {
  'style.css': BASE_CSS,
  'bootstrap.min.css': BASE_CSS,
  'fontawesome.min.css': BASE_CSS,
  'font-awesome.css': BASE_CSS,
  'authorize.css': BASE_CSS,
  'site.css': SITE_CSS,
  'theme.css': THEME_CSS,
  'theme.xcss': XCSS,
};

const JSF_JS = `var mojarra = mojarra || {};
mojarra.jsfcljs = function (form, params, target) {
  for (var name in params) {
    if (!Object.prototype.hasOwnProperty.call(params, name)) continue;
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = params[name];
    form.appendChild(input);
  }
  if (target) form.target = target;
  form.submit();
  return false;
};
`;

export function stylesheet(_: AsContext, req: Request, res: http.ServerResponse): void {
  const css = Object.hasOwn(STYLESHEETS, req.params.file) ? STYLESHEETS[req.params.file] : undefined;
  if (css === undefined) {
    send(res, 404, '', {});
    return;
  }
  send(res, 200, css, { 'Content-Type': 'text/css', 'Cache-Control': 'max-age=3600' });
}

export function jsfScript(_: AsContext, req: Request, res: http.ServerResponse): void {
  if (req.query.get('ln') !== 'javax.faces') {
    send(res, 404, '', {});
    return;
  }
  send(res, 200, JSF_JS, { 'Content-Type': 'text/javascript' });
}
