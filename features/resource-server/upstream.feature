@resource-server @own-gateway @echo-upstream
Feature: What the API behind the gateway receives
  With the Gluu Gateway UI's default settings the gateway tells the API who
  is calling (consumer and client headers), passes the RPT on, and marks
  requests without a token as anonymous. An authenticated request must never
  be marked anonymous.

  Background:
    Given an API protected by Gluu Gateway with the claims-gathering scope, behind an echo upstream
    And the requesting party's client registered with its claims redirect URI

  @critical
  Scenario: An authenticated request carries the consumer and client headers, and no anonymous marker
    Given the client holds an RPT for the protected resource
    When the client requests the protected resource with the RPT
    Then the upstream API receives these headers:
      | header               | value                          |
      | x-consumer-id        | the client's Kong consumer id  |
      | x-oauth-client-id    | the client id                  |
      | x-consumer-custom-id | the client id                  |
      | x-oauth-expiration   | the RPT's expiry               |
    And the upstream API does not receive the header "x-anonymous-consumer"
    # An RPT's introspection carries no scope (gateway.md §9), so there is none to pass on.
    And the upstream API does not receive the header "x-authenticated-scope"

  @normal
  Scenario: A request without a token on a path outside the expression is marked anonymous
    Given the gateway lets paths outside its scope expression through
    When the client sends GET /health without a token
    Then the upstream API receives the header "x-anonymous-consumer" with the value "true"
