@tutorial @oidc-uma @security
Feature: Security probes of the website's login and claims gathering
  Weaknesses of Gluu Gateway 4.2's OpenID Connect and UMA PEP plugins read
  in its source (oidc-uma.md §6), probed from the browser. Each one GG 4.2
  shows is a finding recorded in the known-weaknesses ledger (SEC-W1, SEC-W5,
  SEC-W11, SEC-W12) with its source and severity; a deployment without it
  passes the probe.

  Background:
    Given the tutorial's website behind Gluu Gateway with OpenID Connect login and the UMA PEP on its settings page

  @critical @RFC6749-10.12-CSRF
  Scenario: An authorization response made for one browser does not log another browser in
    Given the user has logged in at the authorization server and the browser holds the authorization response
    And a second browser has opened the settings page and was sent to the login page
    When the second browser brings the first browser's authorization response
    Then the gateway refuses the authorization response of another browser

  @critical @OIDC-RPLOGOUT-2-END-SESSION
  Scenario: A session cookie copied before logout no longer opens the settings page
    Given the user has logged in and answered Country "US" and City "NY" for the settings page
    And a second browser holds a copy of the gateway's cookies
    And the user has logged out
    When the user opens the settings page in the second browser
    Then the copied session no longer opens the settings page

  @critical @UMA-GRANT-3.3.6-REDIRECT-USER
  Scenario: The settings page under another spelling of its path still needs the claims
    Given the user has logged in through the home page
    When the user opens "/Settings/" in the browser
    Then the browser is sent to the claims-gathering pages, as for the settings page

  @critical @echo-upstream @own-gateway @RFC7239-8.1-HEADER-INTEGRITY
  Scenario: A user-info header sent by the browser itself does not reach the website
    Given the website is replaced by an echo upstream
    And the user has logged in and answered Country "US" and City "NY" for the settings page
    When the user opens the settings page again, the browser sending the header "http-kong-userinfo-role" with the value "admin"
    Then the upstream does not receive the browser's "http-kong-userinfo-role" header
