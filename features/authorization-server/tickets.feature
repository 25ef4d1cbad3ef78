@authorization-server
Feature: Permission tickets are single-use and replaced at every step
  UMA 2.0 makes a permission ticket good for one use: the authorization
  server hands out a new one with need_info and after claims gathering, and
  refuses any ticket it has replaced. Gluu 4.2 names the refusal
  invalid_ticket where UMA 2.0 says invalid_grant (a known divergence).

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI

  @critical @UMA-GRANT-3.3.6-NEED-INFO-TICKET @UMA-GRANT-3.3.6-NEED-INFO-NEW-TICKET
  Scenario: need_info hands out a new ticket
    Given the client holds a permission ticket for the protected resource
    When the client asks oxd for an RPT with the permission ticket
    Then the authorization server needs more information: a new ticket, the claims country and city, and a claims-gathering URL

  @critical @UMA-GRANT-5.5-SINGLE-USE-AT-TOKEN @UMA-GRANT-3.3.6-INVALID-GRANT
  Scenario: A ticket replaced by need_info is refused
    Given the authorization server has asked for more information about a fresh permission ticket
    When the client asks the authorization server for an RPT with the ticket that need_info replaced
    Then the authorization server refuses the ticket with 400 invalid_grant

  @critical @UMA-GRANT-3.3.6-INVALID-GRANT
  Scenario: A ticket the authorization server never issued is refused
    When the client asks the authorization server for an RPT with a ticket it never issued
    Then the authorization server refuses the ticket with 400 invalid_grant

  @critical @UMA-GRANT-3.3.3-NEW-TICKET @UMA-GRANT-3.3.3-TICKET-PRESENT
  Scenario: Claims gathering hands back a new ticket
    Given the authorization server has asked for more information about a fresh permission ticket
    When the client gets the claims-gathering URL from oxd with a state
    And the user answers Country "US" and City "NY" in the browser
    Then the browser is sent back to the claims redirect URI with the same state and a new ticket

  @critical @UMA-GRANT-5.5-SINGLE-USE-AT-CLAIMS @UMA-GRANT-3.3.6-INVALID-GRANT
  Scenario: The ticket claims were gathered for is refused once gathering is done
    Given the user has answered Country "US" and City "NY" for a fresh permission ticket
    When the client asks the authorization server for an RPT with the ticket claims were gathered for
    Then the authorization server refuses the ticket with 400 invalid_grant

  @normal @UMA-GRANT-5.5-SINGLE-USE-AT-CLAIMS
  Scenario: A ticket presented at the claims-gathering page is no longer good at the token endpoint
    Given the authorization server has asked for more information about a fresh permission ticket
    When the user opens the claims-gathering URL and leaves without answering
    And the client asks the authorization server for an RPT with the ticket presented there
    Then the authorization server refuses the ticket with 400 invalid_grant

  @normal @UMA-GRANT-5.5-SINGLE-USE-AT-TOKEN
  Scenario: A ticket already exchanged for an RPT is refused
    Given the client holds a permission ticket for the protected resource
    And the client has exchanged it for an RPT at the authorization server, pushing a claim token with country "US" and city "NY"
    When the client asks the authorization server for an RPT with the same ticket and claim token again
    Then the authorization server refuses the ticket with 400 invalid_grant

  @normal @UMA-GRANT-5.5-SINGLE-USE-AT-TOKEN
  Scenario: A ticket the policy refused cannot be used again with other claims
    Given the client holds a permission ticket for the protected resource
    And the authorization server has refused it by policy, for a claim token with country "FR" and city "Paris"
    When the client asks the authorization server for an RPT with the same ticket, pushing a claim token with country "US" and city "NY"
    Then the authorization server refuses the ticket with 400 invalid_grant
