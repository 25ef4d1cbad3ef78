@tutorial @oidc-uma @session
Feature: One login and one claims gathering per browser, until logout
  The gateway keeps the user's login in its session cookie and the UMA
  grant for the user's id_token. A second visit in the same browser needs
  no new login; another browser needs both. The website's logout path ends the
  gateway's session and goes through the authorization server's
  end_session endpoint to the website's post-logout page.

  Background:
    Given the tutorial's website behind Gluu Gateway with OpenID Connect login and the UMA PEP on its settings page
    And the user has logged in and answered Country "US" and City "NY" for the settings page

  # GG 4.2 keeps the UMA grant per nginx worker: on a multi-worker gateway a
  # second visit may meet a worker without it and ask the claims again, with
  # no new login (oidc-uma.md §3.9, W9). That is correct GG behaviour and passes.
  @critical @OIDC-CORE-1-SESSION
  Scenario: A second visit in the same browser needs no new login
    When the user opens the settings page again in the same browser
    Then the settings page is served from the session, without a new login

  @critical @OIDC-CORE-3.1.2.1-AUTH-REQUEST @UMA-GRANT-3.3.6-REDIRECT-USER
  Scenario: Another browser needs the login and the claims pages again
    When the user opens the settings page in a second browser
    Then the second browser is sent to the authorization server's login page
    When the user logs in as the test user in the second browser
    Then the second browser is sent to the claims-gathering pages

  @critical @OIDC-RPLOGOUT-2-END-SESSION
  Scenario: Logout goes through the authorization server's end_session to the post-logout page
    When the user opens the logout path in the browser
    Then the browser passes the authorization server's end_session and lands on the post-logout page

  @critical @OIDC-RPLOGOUT-2-END-SESSION
  Scenario: After logout the settings page needs the login again
    Given the user has logged out
    When the user opens the settings page again in the same browser
    Then the browser is sent to the authorization server's login page

  @security @normal @RFC6265-4.1.2.6-HTTPONLY
  Scenario: The gateway's session cookies cannot be read by the website's scripts
    Then the session cookies the gateway set are out of reach of the website's scripts
