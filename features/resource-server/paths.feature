@resource-server @own-gateway @echo-upstream
Feature: The gateway protects exactly the methods and paths of its scope expression
  gluu-uma-pep matches each request's method and path against the patterns of
  its UMA scope expression: "?" stands for exactly one path element, "??" for
  any number of them (at most one per pattern). A path no pattern covers is
  refused when the gateway denies by default, and passed to the API
  otherwise.

  Background:
    Given an API protected by Gluu Gateway for GET on these path patterns, behind an echo upstream:
      | pattern           |
      | /posts/??         |
      | /users/?          |
      | /folder/?/file    |
      | /path/??/image.jpg |

  @critical
  Scenario Outline: Denying by default, <method> <path> is <outcome>
    Given the gateway denies paths outside its scope expression
    When the client sends <method> <path> without a token
    Then the gateway treats the request as <outcome>

    Examples:
      | method | path                | outcome                         |
      | GET    | /posts              | protected                       |
      | GET    | /posts/             | protected                       |
      | GET    | /posts/1            | protected                       |
      | GET    | /posts/1/comments   | protected                       |
      | GET    | /postsX             | outside the expression, refused |
      | POST   | /posts/1            | outside the expression, refused |
      | GET    | /users/1            | protected                       |
      | GET    | /users/             | protected                       |
      | GET    | /users              | outside the expression, refused |
      | GET    | /users/1/2          | outside the expression, refused |
      | GET    | /folder/x/file      | protected                       |
      | GET    | /folder/file        | outside the expression, refused |
      | GET    | /path/image.jpg     | protected                       |
      | GET    | /path/a/b/image.jpg | protected                       |
      | GET    | /path/a/b/other.jpg | outside the expression, refused |
      | GET    | /                   | outside the expression, refused |

  @normal
  Scenario Outline: Not denying by default, <method> <path> is <outcome>
    Given the gateway lets paths outside its scope expression through
    When the client sends <method> <path> without a token
    Then the gateway treats the request as <outcome>

    Examples:
      | method | path         | outcome                               |
      | GET    | /posts/1     | protected                             |
      | GET    | /postsX      | outside the expression, passed on     |
      | POST   | /posts/1     | outside the expression, passed on     |
      | DELETE | /users/1     | outside the expression, passed on     |
