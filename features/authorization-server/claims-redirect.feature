@authorization-server
Feature: After claims gathering the browser goes back only to a registered URI, with the state unchanged
  The claims redirect URI is where the authorization server sends the user's
  browser, with the new ticket, once claims are gathered. UMA 2.0 requires
  that it be registered and matched exactly, that the state the client sent
  comes back unchanged, and that no claims travel back in the redirect.

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI

  @critical @UMA-GRANT-3.3.3-STATE-ECHO @UMA-GRANT-3.3.3-NO-CLAIMS-BACK
  Scenario: The state comes back unchanged and the redirect carries no claims
    Given the authorization server has asked for more information about a fresh permission ticket
    When the client gets the claims-gathering URL from oxd with a state
    And the user answers Country "US" and City "NY" in the browser
    Then the browser is sent back to the claims redirect URI with the same state and a new ticket
    And the redirect carries nothing but the ticket and the state

  @critical @UMA-GRANT-3.3.3-STATE-ECHO
  Scenario: Without a state none comes back
    Given the authorization server has asked for more information about a fresh permission ticket
    When the client builds the claims-gathering URL from redirect_user and its claims redirect URI
    And the user answers Country "US" and City "NY" in the browser
    Then the browser is sent back to the claims redirect URI with a new ticket and no state

  @blocker @UMA-GRANT-3.3.3-NO-REDIRECT-INVALID-CRU
  Scenario Outline: The browser is never sent to <uri>
    Given the authorization server has asked for more information about a fresh permission ticket
    When the user opens the claims-gathering URL naming <uri> as the claims redirect URI, and answers Country "US" and City "NY"
    Then the browser is not sent to that URI

    Examples:
      | uri                                     |
      | an unregistered URI on another host     |
      | the registered URI with another path    |

  @critical @UMA-GRANT-3.3.2-NO-RFC6749-REDIRECT @own-gateway
  Scenario: The browser is never sent to the client's OAuth redirect URI
    Given the authorization server has asked for more information about a fresh permission ticket
    When the user opens the claims-gathering URL naming the client's OAuth redirect URI as the claims redirect URI, and answers Country "US" and City "NY"
    Then the browser is not sent to that URI

  @normal @UMA-GRANT-3.3.2-CRU-QUERY-RETAINED @own-gateway
  Scenario: A claims redirect URI with its own query keeps it when the browser is sent back
    Given the requesting party's client is registered with a claims redirect URI that carries its own query
    And the authorization server has asked for more information about a fresh permission ticket
    When the client builds the claims-gathering URL from redirect_user, its claims redirect URI and a state
    And the user answers Country "US" and City "NY" in the browser
    Then the browser is sent back to the claims redirect URI with the same state and a new ticket

  @normal @UMA-GRANT-3.3.2-CRU-EXACT-MATCH @own-gateway
  Scenario: The registered claims redirect URI with its query reordered is not accepted
    Given the requesting party's client is registered with a claims redirect URI that carries its own query
    And the authorization server has asked for more information about a fresh permission ticket
    When the user opens the claims-gathering URL naming the registered URI with its query reordered, and answers Country "US" and City "NY"
    Then the browser is not sent there with a new ticket

  @critical @UMA-GRANT-3.3.2-CLIENT-ID-REQUIRED @UMA-GRANT-3.3.3-NO-REDIRECT-INVALID-CLIENT
  Scenario Outline: A claims-gathering URL with <client> is refused without a redirect
    Given the authorization server has asked for more information about a fresh permission ticket
    When the user opens the claims-gathering URL with <client>
    Then the authorization server refuses with 400 invalid_client_id and the browser stays there

    Examples:
      | client                |
      | a made-up client id   |
      | no client id          |

  @normal @UMA-GRANT-3.3.3-ERROR-REDIRECT
  Scenario: A claims-gathering URL with an unknown ticket sends the browser back with an error and the state
    When the user opens the claims-gathering URL with a ticket the authorization server never issued and a state
    Then the browser is sent back to the claims redirect URI with an error and the same state
    And the error is one of OAuth 2.0's authorization error codes
