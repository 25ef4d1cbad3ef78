@tutorial @oidc-uma @deny
Feature: Wrong Country or City answers keep the website's settings page closed
  The tutorial's policy grants Country US and City NY and nothing else.
  When the user answers anything else, the gateway must not serve the
  settings page, and the user should be told that access was refused: a
  403 Forbidden. Gluu Gateway 4.2 answers a policy refusal with 502
  {"message":"An unexpected error ocurred"} instead (DIV-GW-01).

  Background:
    Given the tutorial's website behind Gluu Gateway with OpenID Connect login and the UMA PEP on its settings page
    And the user has logged in on the way to the settings page and is on the claims-gathering pages

  @critical @UMA-GRANT-3.3.6-REQUEST-DENIED @RFC9110-15.5.4-FORBIDDEN
  Scenario Outline: <case> keeps the settings page closed, refused as forbidden
    When the user answers Country "<country>" and City "<city>"
    Then the pages asked for Country and then City
    And the settings page is not shown
    And the gateway answers 403 Forbidden

    Examples:
      | case                        | country | city  |
      | A wrong city                | US      | LA    |
      | A wrong country             | FR      | NY    |
      | Lower-case us and ny        | us      | ny    |
      | An empty country and city   |         |       |
      | A wrong country and city    | FR      | Paris |
