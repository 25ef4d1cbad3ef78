@authorization-server
Feature: The token endpoint answers UMA requests it cannot grant with UMA 2.0's errors
  A client must be able to tell "more information needed" from "refused"
  from "malformed request". UMA 2.0 fixes the status and error code of each
  case. Gluu 4.2 uses its own codes in several of them (known divergences).

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI

  @critical @UMA-GRANT-3.3.6-NEED-INFO-STATUS @UMA-GRANT-3.3.6-NEED-INFO-HINTS @UMA-GRANT-3.3.6-REQUIRED-CLAIMS-SHAPE @UMA-GRANT-3.3.6-REDIRECT-USER @UMA-GRANT-3.3.6-ERROR-JSON
  Scenario: need_info answers 403 with the hints a client needs
    Given the client holds a permission ticket for the protected resource
    When the client asks the authorization server for an RPT with the permission ticket
    Then the authorization server answers 403 need_info with required claims in UMA's shape and a redirect_user at its claims interaction endpoint

  @critical @UMA-GRANT-3.3.6-REQUEST-DENIED @UMA-GRANT-3.3.6-ERROR-JSON
  Scenario: A refusal by policy is request_denied
    Given the client holds a permission ticket for the protected resource
    When the client asks the authorization server for an RPT pushing a claim token with country "FR" and city "Paris"
    Then the authorization server refuses with 403 request_denied

  @normal @UMA-GRANT-3.3.1-TICKET-REQUIRED @UMA-GRANT-3.3.6-ERROR-JSON
  Scenario: A UMA grant request without a ticket is malformed
    When the client asks the authorization server for an RPT without a ticket
    Then the authorization server refuses with 400 invalid_request

  @normal @UMA-GRANT-3.3.1-GRANT-TYPE
  Scenario: A ticket sent with another grant type is refused as unsupported_grant_type
    Given the client holds a permission ticket for the protected resource
    When the client sends the permission ticket to the token endpoint with the client credentials grant type
    Then the authorization server refuses with 400 unsupported_grant_type

  @normal @UMA-GRANT-3.3.1-CLAIM-TOKEN-PAIR
  Scenario: A claim token without its format is refused with an OAuth error code
    Given the client holds a permission ticket for the protected resource
    When the client asks the authorization server for an RPT pushing a claim token without its format
    Then the authorization server refuses with 400 and one of OAuth 2.0's token error codes

  @normal @UMA-GRANT-3.3.6-INVALID-SCOPE
  Scenario: A requested scope the authorization server does not know is refused as invalid_scope
    Given the client holds a permission ticket for the protected resource
    When the client asks the authorization server for an RPT with the permission ticket and a scope the authorization server does not know
    Then the authorization server refuses with 400 invalid_scope
