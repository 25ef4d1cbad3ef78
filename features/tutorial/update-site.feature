@tutorial @update-site
Feature: The consumer client's claims redirect URI, set with oxd update-site
  The tutorial's Authorization Server configuration, step 4: the administrator
  updates the consumer OP client with its claims redirect URI through oxd's
  update-site command. The tutorial writes the URI as a JSON string; oxd 4.2
  reads a list, so the request as written is refused and only the list form
  works. After the update the claims-gathering flow redirects to the new URI.
  The suite updates a client of its own, never the tutorial's configured one.

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client of the suite's own, registered through oxd with a claims redirect URI

  @normal
  Scenario: update-site as the tutorial writes it, with the claims redirect URI as a JSON string
    When the administrator sends the tutorial's update-site request with a new claims redirect URI as a JSON string
    Then oxd accepts the update

  @critical
  Scenario: update-site with the claims redirect URI as a JSON list, then claims gathering redirects to the new URI
    Given the authorization server has asked for more information about a fresh permission ticket
    When the administrator sends the tutorial's update-site request with a new claims redirect URI as a JSON list
    Then oxd accepts the update
    When the client gets the claims-gathering URL from oxd with a state
    And the user answers Country "US" and City "NY" in the browser, for the new claims redirect URI
    Then the browser is sent back to the claims redirect URI with the same state and a new ticket
    When the client asks oxd for an RPT with the ticket from the redirect
    Then the client receives an RPT
