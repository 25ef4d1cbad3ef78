@authorization-server
Feature: The authorization server publishes its UMA 2.0 configuration
  A UMA client learns where to request RPTs and where to send the user for
  claims gathering from the authorization server's discovery document, at a
  well-known location under its issuer.

  @critical @UMA-GRANT-2-DISCOVERY-AVAILABLE @UMA-GRANT-2-DISCOVERY-RFC8414
  Scenario: The discovery document is published at the issuer's well-known location
    When the client reads the authorization server's UMA discovery document
    Then it is a JSON object whose issuer is the authorization server
    And it lists these members, the endpoints as absolute https URLs:
      | member                   |
      | issuer                   |
      | token_endpoint           |
      | response_types_supported |

  @critical @UMA-GRANT-2-GRANT-TYPE-ADVERTISED
  Scenario: The UMA grant type is advertised
    When the client reads the authorization server's UMA discovery document
    Then its supported grant types include the UMA ticket grant

  @normal @UMA-GRANT-2-CLAIMS-INTERACTION-ENDPOINT @UMA-FEDAUTHZ-2-PERMISSION-ENDPOINT @UMA-FEDAUTHZ-2-RESOURCE-REGISTRATION-ENDPOINT @UMA-FEDAUTHZ-2-INTROSPECTION-ENDPOINT @UMA-FEDAUTHZ-1.3-TLS
  Scenario: The claims interaction and protection API endpoints are advertised
    When the client reads the authorization server's UMA discovery document
    Then it lists these members, the endpoints as absolute https URLs:
      | member                         |
      | claims_interaction_endpoint    |
      | permission_endpoint            |
      | resource_registration_endpoint |
      | introspection_endpoint         |
