@authorization-server @own-gateway @echo-upstream
Feature: A client's RPT is upgraded with new permissions
  A client that already holds an RPT sends it along with a new ticket; the
  authorization server adds the new permission to it and says so
  ("upgraded"), so one RPT opens both resources.

  Background:
    Given an API protected by Gluu Gateway with the claims-gathering scope, behind an echo upstream
    And the API also protects a second path with its own resource
    And the requesting party's client registered with its claims redirect URI

  @critical @UMA-GRANT-3.3.5-UPGRADED
  Scenario: An RPT is upgraded with a second resource's permission
    Given the client holds an RPT for the protected resource
    And the client holds a permission ticket for the second protected path
    When the client asks the authorization server for an RPT with that ticket, its RPT and a claim token with country "US" and city "NY"
    Then the authorization server answers that the RPT was upgraded
    And the upgraded RPT opens both protected paths
