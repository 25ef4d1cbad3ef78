@security @authorization-server
Feature: The authorization server keeps each client's grants to that client
  Security probes, beyond conformance: what a second client of the
  requesting party, or anyone holding a ticket from a browser redirect, can
  do with another client's PCT, RPT and tickets. A weakness a stock
  Gluu 4.2 has is reported as a recorded finding (known-weaknesses.json,
  with its severity and source); a deployment without it passes the probe.

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI

  @critical @UMA-GRANT-5.2-PCT-BINDING
  Scenario: A PCT works only for the client it was issued to
    Given the first client holds an RPT and its PCT, for a claim token with country "US" and city "NY"
    And a second client of the requesting party, registered at the authorization server
    When the second client asks the authorization server for an RPT for a fresh ticket with the first client's PCT and no claims
    Then the authorization server refuses the PCT of another client

  @normal @SEC-AS-RPT-UPGRADE-ANY-CLIENT
  Scenario: An RPT can be upgraded only by the client it was issued to
    Given the first client holds an RPT and its PCT, for a claim token with country "US" and city "NY"
    And a second client of the requesting party, registered at the authorization server
    When the second client asks the authorization server for an RPT for a fresh ticket with the first client's RPT and a claim token with country "US" and city "NY"
    Then the authorization server refuses to upgrade another client's RPT

  @critical @SEC-AS-TICKET-ANY-CLIENT
  Scenario: A ticket is usable at the token endpoint only by the client it was issued for
    Given the first client holds the ticket need_info handed it for a fresh permission ticket
    And a second client of the requesting party, registered at the authorization server
    When the second client asks the authorization server for an RPT with the first client's ticket and a claim token with country "US" and city "NY"
    Then the authorization server refuses the ticket of another client

  @normal @SEC-AS-TICKET-ANY-CLIENT
  Scenario: A ticket is usable at the claims-gathering endpoint only by the client it was issued for
    Given the first client holds the ticket need_info handed it for a fresh permission ticket
    And a second client of the requesting party, registered at the authorization server
    When the second client opens the claims-gathering endpoint with the first client's ticket
    Then the claims-gathering endpoint refuses the ticket of another client

  @normal @SEC-AS-REGATHER-REVOKES-RPT
  Scenario: Gathering claims again with an outstanding ticket leaves the RPT already granted alone
    Given the user has answered Country "US" and City "NY" for a fresh permission ticket
    And the client holds the RPT issued for the ticket of the claims redirect
    When the user is sent to gather claims again with that ticket and answers Country "FR" and City "Paris"
    Then the RPT still carries the permission it was issued with
