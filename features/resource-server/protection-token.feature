@resource-server @own-gateway @protection-token
Feature: The gateway keeps answering while it renews its protection token
  The UMA plugins call oxd with a protection token of their plugin client,
  which the AS issues with the client's access-token lifetime. Gluu Gateway
  4.2 keeps using that token until 5 s after it expired, and oxd refuses an
  expired one, so for those seconds the gateway answers 502 instead of the
  UMA challenge; then it takes a new token and answers as before. The suite
  registers its plugin client with access tokens of a few seconds, so that a
  renewal falls inside the scenario.

  Background:
    Given the tutorial's API protected by Gluu Gateway, its plugin client's access tokens living 3 seconds

  @normal @UMA-GRANT-3.2-TICKET-OBTAINED @UMA-GRANT-3.2.2-WARNING-HEADER
  Scenario: A request without a token is refused with a ticket before, during and after a protection-token renewal
    When the client requests the protected resource without a token, the gateway taking a new protection token for it
    Then the gateway refuses with 401 and a permission ticket
    When the client requests the protected resource without a token inside the gateway's protection-token window
    And the client requests the protected resource without a token once that window is over
    Then the gateway, its protection token renewed, refuses with 401 and a permission ticket
    And the request inside the window was refused with 401 and a permission ticket as well, or told that no ticket could be had
