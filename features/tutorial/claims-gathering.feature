@tutorial @claims-gathering
Feature: Claims gathering: the user's country and city decide access to the protected API
  The tutorial's main flow. A client asks for a resource behind Gluu Gateway
  and is given a permission ticket. It asks oxd for an RPT and is told that
  more information is needed. The user's browser goes to the Gluu Server's
  claims-gathering pages, answers Country and then City, and comes back with
  a new ticket, which the client exchanges for an RPT. The tutorial's policy
  grants access for Country US and City NY, and for nothing else.

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI

  @grant @blocker
  Scenario: Country US and City NY grant access to the protected API
    When the client requests the protected resource without a token
    Then the gateway refuses with 401 and a permission ticket
    When the client asks oxd for an RPT with the permission ticket
    Then the authorization server needs more information: a new ticket, the claims country and city, and a claims-gathering URL
    When the client gets the claims-gathering URL from oxd with a state
    And the user answers Country "US" and City "NY" in the browser
    Then the browser is sent back to the claims redirect URI with the same state and a new ticket
    When the client asks oxd for an RPT with the ticket from the redirect
    Then the client receives an RPT
    When the client requests the protected resource with the RPT
    Then the protected resource answers with the tutorial API's data

  @grant @critical
  Scenario: The claims-gathering URL built from redirect_user works as well
    Given the authorization server has asked for more information about a fresh permission ticket
    When the client builds the claims-gathering URL from redirect_user and its claims redirect URI
    And the user answers Country "US" and City "NY" in the browser
    Then the browser is sent back to the claims redirect URI with a new ticket and no state
    When the client asks oxd for an RPT with the ticket from the redirect
    Then the client receives an RPT
    When the client requests the protected resource with the RPT
    Then the protected resource answers with the tutorial API's data

  @deny @critical
  Scenario Outline: <case> is denied, and the denial grants nothing later
    Given the authorization server has asked for more information about a fresh permission ticket
    When the client gets the claims-gathering URL from oxd with a state
    And the user answers Country "<country>" and City "<city>" in the browser
    Then the browser is sent back to the claims redirect URI with the same state and a new ticket
    When the client asks oxd for an RPT with the ticket from the redirect
    Then the policy refuses the RPT without asking for more information
    When the client requests the protected resource without a token
    Then the gateway refuses with 401 and a permission ticket
    When the client asks oxd for an RPT with the permission ticket
    Then the authorization server needs more information: a new ticket, the claims country and city, and a claims-gathering URL

    Examples:
      | case                        | country | city  |
      | A wrong city                | US      | LA    |
      | A wrong country             | FR      | NY    |
      | Lower-case us and ny        | us      | ny    |
      | An empty country and city   |         |       |
      | A wrong country and city    | FR      | Paris |
