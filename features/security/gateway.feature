@security @gateway
Feature: Security probes of the gateway: what a client can make Gluu Gateway do that it must not
  Weaknesses of Gluu Gateway 4.2's gluu-uma-auth and gluu-uma-pep plugins,
  read in their source (gluu-gateway version_4.2.2 lib/gluu/kong-common.lua,
  lib/gluu/path-wildcard-tree.lua,
  lib/kong/plugins/gluu-uma-pep/access.lua). A stock GG 4.2 has each one: it
  is reported as a finding recorded in support/known-weaknesses.json (the run
  stays green); a deployment without it passes the probe ("weakness not found").

  @critical @SEC-GW-01
  Scenario: An RPT granted on the host without claims does not open the claims-gathering host
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the tutorial's API also protected on a second host with a scope that has no policy
    And the requesting party's client registered with its claims redirect URI
    And the client holds an RPT for the resource on the host without claims
    And the client has opened the resource on the host without claims with the RPT
    When the client requests the protected resource with the RPT
    Then the gateway refuses the RPT that was granted on the other host

  @critical @echo-upstream @SEC-GW-02
  Scenario: Identity headers a client sends itself without a token do not reach the API
    Given an API protected by Gluu Gateway with the claims-gathering scope, behind an echo upstream
    And the gateway lets paths outside its scope expression through
    When the client sends GET /health without a token, with these headers of its own:
      | header               | value         |
      | x-oauth-client-id    | admin-client  |
      | x-consumer-custom-id | admin-client  |
      | x-authenticated-scope | admin        |
    Then the API does not receive the headers the client sent itself

  @critical @echo-upstream @SEC-GW-02
  Scenario: Identity headers a client sends itself with its RPT do not reach the API
    Given an API protected by Gluu Gateway with the claims-gathering scope, behind an echo upstream
    And the requesting party's client registered with its claims redirect URI
    And the client holds an RPT for the protected resource
    When the client requests the protected resource with the RPT, with these headers of its own:
      | header                | value |
      | x-anonymous-consumer  | true  |
      | x-authenticated-scope | admin |
    Then the API does not receive the headers the client sent itself

  @normal @echo-upstream @own-gateway @SEC-GW-03
  Scenario: A request without a token names its own route's anonymous consumer
    Given an API protected by Gluu Gateway with the claims-gathering scope, behind an echo upstream
    And the gateway lets paths outside its scope expression through
    And a second API behind the echo upstream, on its own route with its own anonymous consumer
    When a request without a token has passed through the second API
    And the client sends GET /health without a token
    Then the API receives this route's anonymous consumer in "x-consumer-id"

  @critical @own-gateway @SEC-GW-04
  Scenario: A client whose Kong consumer is deleted loses access at once
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI
    And the client holds an RPT for the protected resource
    And the client has opened the protected resource with the RPT
    When the client's Kong consumer is deleted
    And the client requests the protected resource with the RPT
    Then the gateway refuses the RPT of the deleted consumer

  @normal @echo-upstream @own-gateway @SEC-GW-05
  Scenario: A path element sent as %23 is protected by the pattern that covers it
    Given an API protected by Gluu Gateway for GET on these path patterns, behind an echo upstream:
      | pattern  |
      | /users   |
      | /users/? |
    And the gateway lets paths outside its scope expression through
    When the client sends GET /users/%23 without a token
    Then the gateway protects the request as the pattern "/users/?" says
