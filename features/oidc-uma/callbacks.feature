@tutorial @oidc-uma @callback
Feature: The gateway's callbacks take only the answers meant for this browser's login and gathering
  After the login the authorization server sends the browser back to the
  gateway's callback with a code and the state of the authorization
  request; after claims gathering it sends it back to the claims redirect
  path with a new ticket and the state of the gathering. The gateway must
  refuse what does not belong to this browser's request: another state, a
  code already used, a browser that never started a login. An error answer
  of the authorization server ("Don't Allow") is a refused login, which
  the user should be told about: Gluu Gateway 4.2 answers 400 "missed code
  or state argument(s)" (DIV-OIDC-03). It never compares the claims
  redirect's state (DIV-CL-01).

  Background:
    Given the tutorial's website behind Gluu Gateway with OpenID Connect login and the UMA PEP on its settings page

  @critical @OIDC-CORE-3.1.2.7-STATE-CHECK
  Scenario: An authorization response with a state the gateway never issued is refused
    Given the user has logged in at the authorization server and the browser holds the authorization response
    When the browser brings the authorization response to the gateway with a made-up state
    Then the gateway refuses the authorization response with the made-up state
    When the user opens the settings page again in the same browser
    Then the browser is sent to the authorization server to log in again

  @critical @OIDC-CORE-3.1.3.2-CODE-SINGLE-USE
  Scenario: An authorization code already used is refused, also with a state of its own
    Given the user has logged in at the authorization server and the browser holds the authorization response
    And the browser has brought the authorization response to the gateway
    When a second browser starts its own login and brings the used code with its own state
    Then the gateway refuses the authorization response with the used code in the second browser

  @critical @RFC6749-10.12-CSRF
  Scenario: An authorization response brought by a browser that never started a login is refused
    Given the user has logged in at the authorization server and the browser holds the authorization response
    When a second browser that never visited the website brings that authorization response
    Then the gateway refuses the authorization response in the browser that never started a login

  @normal @OIDC-CORE-3.1.2.6-AUTH-ERROR
  Scenario: "Don't Allow" at the consent page is a refused login the user is told about
    When the user opens the settings page in the browser
    And the user logs in as the test user and does not allow the consent
    Then the gateway refuses the authorization response that carries the error
    And the gateway tells the user that the authorization server answered "access_denied"

  @normal @UMA-GRANT-5.1-CLIENT-STATE
  Scenario: A claims redirect with a state the gateway did not send is refused
    Given the user has logged in on the way to the settings page and is on the claims-gathering pages
    When the user answers Country "US" and City "NY" and the browser holds the claims redirect
    And the browser brings the claims redirect to the gateway with a made-up state
    Then the gateway refuses the claims redirect
