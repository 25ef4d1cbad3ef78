@tutorial @pushed-claims
Feature: Pushed claims: a claim token decides access without claims gathering
  The tutorial's "policy without claim flow". The client pushes an
  ID-token-format claim token with its RPT request. The policy reads the
  token's country and city and the authorization server answers at once:
  no need_info, no browser. A scope that carries no policy at all grants
  the RPT directly where the administrator turned oxAuth's
  umaGrantAccessIfNoPolicies on, as the tutorial says (Gluu Server 4.2 ships
  it off and then refuses: that scenario is skipped with the reason, or fails
  when UMA_GRANT_ACCESS_IF_NO_POLICIES=true says the setting is on).

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI

  @grant @blocker
  Scenario: A claim token with country US and city NY gets an RPT at once
    Given the client holds a permission ticket for the protected resource
    When the client asks oxd for an RPT pushing a claim token with country "US" and city "NY"
    Then the client receives an RPT without being asked for more information
    When the client requests the protected resource with the RPT
    Then the protected resource answers with the tutorial API's data

  @deny @critical
  Scenario Outline: A claim token with <case> is denied without claims gathering
    Given the client holds a permission ticket for the protected resource
    When the client asks oxd for an RPT pushing a claim token with country "<country>" and city "<city>"
    Then the policy refuses the RPT without asking for more information

    Examples:
      | case              | country | city |
      | a wrong city      | US      | LA   |
      | a wrong country   | FR      | NY   |
      | lower-case values | us      | ny   |

  @normal
  Scenario: A claim token with only the country leads to gathering the city
    Given the client holds a permission ticket for the protected resource
    When the client asks oxd for an RPT pushing a claim token with only country "US"
    Then the authorization server needs more information: a new ticket, the claim city only, and a claims-gathering URL

  @grant @critical @as-setting
  Scenario: A scope without a policy grants an RPT directly
    Given the tutorial's API also protected on a second host with a scope that has no policy
    And the client holds a permission ticket for the resource on the host without claims
    When the client asks oxd for an RPT for the scope without a policy
    Then the client receives an RPT without being asked for more information
    When the client requests the resource on the host without claims with the RPT
    Then the protected resource answers with the tutorial API's data

  @normal
  Scenario: oxd refuses a claim token sent without its format
    Given the client holds a permission ticket for the protected resource
    When the client asks oxd for an RPT pushing a claim token without its format
    Then oxd rejects the request with 400 invalid_claim_token_or_claim_token_form
