// The pages of gg-demo/node-ejs (gluu-gateway-setup version_4.2.2, views/*.ejs,
// identical in 4.2.0–4.2.2), written afresh with the same titles, headings,
// element ids, classes and links (oidc-uma.md §5). Every view has
// `<title>Demo</title>` and loads Bootstrap 4.2.1, jQuery 3.3.1 slim and
// popper 1.14.6 from public CDNs (lines 4–14 of each view); the sandbox
// links none of them (sandbox/DEVIATIONS.md): offline they fail to load and
// the real pages render the same unstyled HTML.

/** views/header.ejs (lines 1–25): the nav bar every view but logout includes. */
const NAV = `<nav class="navbar navbar-expand-lg navbar-dark bg-primary">
  <a class="navbar-brand" href="/home">Gluu Security</a>
  <button class="navbar-toggler" type="button" data-toggle="collapse" data-target="#navbarColor01" aria-controls="navbarColor01" aria-expanded="false" aria-label="Toggle navigation">
    <span class="navbar-toggler-icon"></span>
  </button>
  <div class="collapse navbar-collapse" id="navbarColor01">
    <ul class="navbar-nav mr-auto">
      <li class="nav-item"><a class="nav-link active" href="/home/">Home</a></li>
      <li class="nav-item"><a class="nav-link active" href="/flights/">Flights</a></li>
      <li class="nav-item"><a class="nav-link active" href="/payments/">Payments</a></li>
      <li class="nav-item"><a class="nav-link active" href="/settings/">Settings</a></li>
      <li class="nav-item"><a class="nav-link active" href="/logout">Logout</a></li>
    </ul>
  </div>
</nav>`;

function page(content: string, withNav = true): string {
  return `<html>
<head>
  <title>Demo</title>
</head>
<body>
${withNav ? `${NAV}\n` : ''}<div class="container">
  <br/>
${content}
</div>
</body>
</html>
`;
}

/** views/home.ejs lines 20–21 (also what `/` renders, app.js line 29). */
export const HOME = page(`  <h1>Gluu Security</h1>
  <h2>Welcome to Gluu Security !!!</h2>`);

/** views/payments.ejs lines 20–21. */
export const PAYMENTS = page(`  <h1>Payment Status</h1>
  <h2>Wow Great!!! Your payment has been done successfully.</h2>`);

/** views/logout.ejs lines 17–21: no nav bar, a Login button back to /home. */
export const LOGOUT = page(
  `  <h1>Successfully logout!!!</h1>
  <a href="/home" class="btn btn-success">Login</a>`,
  false,
);

const FLIGHT_ROWS: Array<[string, string]> = [
  ['table-active', 'Active'],
  ['', 'Default'],
  ['table-primary', 'Primary'],
  ['table-info', 'Info'],
  ['table-light', 'Light'],
  ['table-dark', 'Dark'],
];

/** views/flights.ejs lines 20–68: a static table of six rows. */
export const FLIGHTS = page(`  <h1>Flights Available</h1>
  <table class="table table-hover">
    <thead>
      <tr><th scope="col">Type</th><th scope="col">Column heading</th><th scope="col">Column heading</th><th scope="col">Column heading</th></tr>
    </thead>
    <tbody>
${FLIGHT_ROWS.map(([cls, name]) => `      <tr${cls ? ` class="${cls}"` : ''}><th scope="row">${name}</th><td>Column content</td><td>Column content</td><td>Column content</td></tr>`).join('\n')}
    </tbody>
  </table>`);

/** views/settings.ejs lines 20–66: a form with no action (it posts nowhere useful). */
export const SETTINGS = page(`  <h1>Profile settings</h1>
  <form>
    <div class="form-row">
      <div class="form-group col-md-6"><label for="inputEmail4">Email</label><input type="email" class="form-control" id="inputEmail4" placeholder="Email"></div>
      <div class="form-group col-md-6"><label for="inputPassword4">Password</label><input type="password" class="form-control" id="inputPassword4" placeholder="Password"></div>
    </div>
    <div class="form-group"><label for="inputAddress">Address</label><input type="text" class="form-control" id="inputAddress" placeholder="1234 Main St"></div>
    <div class="form-group"><label for="inputAddress2">Address 2</label><input type="text" class="form-control" id="inputAddress2" placeholder="Apartment, studio, or floor"></div>
    <div class="form-row">
      <div class="form-group col-md-6"><label for="inputCity">City</label><input type="text" class="form-control" id="inputCity"></div>
      <div class="form-group col-md-4"><label for="inputState">State</label><select id="inputState" class="form-control"><option selected>Choose...</option><option>...</option></select></div>
      <div class="form-group col-md-2"><label for="inputZip">Zip</label><input type="text" class="form-control" id="inputZip"></div>
    </div>
    <div class="form-group">
      <div class="form-check"><input class="form-check-input" type="checkbox" id="gridCheck"><label class="form-check-label" for="gridCheck">Check me out</label></div>
    </div>
    <button type="submit" class="btn btn-primary">Sign in</button>
  </form>`);
