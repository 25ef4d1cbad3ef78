@resource-server @own-gateway @echo-upstream
Feature: Only a valid RPT for the requested resource opens it
  The gateway introspects the bearer token through oxd, maps the RPT's client
  to a Kong consumer, and asks oxd whether the RPT's permissions cover the
  requested path. Anything less is refused, and the API never sees the request.

  Background:
    Given an API protected by Gluu Gateway with the claims-gathering scope, behind an echo upstream
    And the requesting party's client registered with its claims redirect URI

  @blocker @UMA-GRANT-3.2-TICKET-OBTAINED
  Scenario: A request without a token never reaches the API
    When the client requests the protected resource without a token
    Then the gateway refuses with 401 and a permission ticket
    And the request did not reach the upstream API

  @blocker @UMA-GRANT-3.4-BEARER
  Scenario: A valid RPT reaches the API
    Given the client holds an RPT for the protected resource
    When the client requests the protected resource with the RPT
    Then the request reaches the upstream API with the RPT passed on

  @blocker @UMA-GRANT-3.5-NO-ACCESS-INVALID-RPT @UMA-GRANT-3.5-FAIL-AS-TOKENLESS
  Scenario Outline: A request with <token> is refused like one without a token
    When the client requests the protected resource with <token>
    Then the gateway refuses with 401 and a permission ticket
    And the request did not reach the upstream API

    Examples:
      | token                                     |
      | a made-up token                           |
      | its own access token (not an RPT)         |

  @critical
  Scenario: An RPT of a client that has no Kong consumer is refused
    Given another client, without a Kong consumer, holding an RPT for the protected resource
    When that client requests the protected resource with its RPT
    Then the gateway refuses with 401 "Unknown consumer" and no challenge
    And the request did not reach the upstream API

  @critical @UMA-GRANT-3.5-NO-ACCESS-INSUFFICIENT-RPT @UMA-GRANT-3.5-FAIL-AS-TOKENLESS
  Scenario: An RPT for one resource does not open another protected resource
    Given the API also protects a second path with its own resource
    And the client holds an RPT for the protected resource
    When the client requests the second protected path with the RPT
    Then the gateway refuses the request
    And the request did not reach the upstream API
    And the refusal carries a UMA challenge with a new ticket, as for a request without a token

  @critical
  Scenario: Each RPT opens the resource it was obtained for
    Given the API also protects a second path with its own resource
    And the client holds an RPT for the protected resource
    And the client holds an RPT for the second protected path
    When the client requests the second protected path with the RPT
    Then the request reaches the upstream API with the RPT passed on

  @critical
  Scenario: A valid RPT does not open a path outside the scope expression
    Given the client holds an RPT for the protected resource
    When the client sends GET /health with the RPT
    Then the gateway refuses with 403 "Unprotected path/method are not allowed"
    And the request did not reach the upstream API
