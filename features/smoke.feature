@smoke
Feature: Smoke: one request travels the whole stack
  A quick sign of life: a request without a token goes through the Kong
  proxy to the gluu-uma-pep plugin, which asks oxd, which registers a
  permission ticket at the authorization server; the ticket comes back in
  the gateway's UMA challenge.

  @blocker
  Scenario: A request without a token comes back with a permission ticket from the authorization server
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    When the client requests the protected resource without a token
    Then the gateway refuses with 401 and a permission ticket
