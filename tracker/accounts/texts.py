"""Every sentence the accounts code says to a person, in one place (to translate them at once).

Pages hold their own wording in their templates; what is here is what the core refuses or
records: password policy, links, codes, account changes, and the audit's action names.
"""

from __future__ import annotations

TOO_SHORT = "a password must have at least {minimum} characters"
TOO_LONG = "a password may have at most {maximum} characters"
COMMON_LIST = "this password is on a list of common passwords; choose another"
COMMON_BASE = "this password is a common password with digits or symbols added; choose another"
REPETITIVE = "this password repeats a few characters over and over; choose another"
IS_EMAIL = "a password may not be the account's email address or its name part"
PASSWORDS_DIFFER = "the two passwords are not the same"
NOT_CURRENT = "this is not your current password"

LINK_UNUSABLE = (
    "this link cannot be used: it is wrong, was used already, was replaced by a newer one, "
    "or is more than {hours} hours old. Ask an admin for a new one."
)
CODE_WRONG = "this code is not right (or was used already)"
CODE_FORMAT = "give the 6 digits your authenticator app shows"
RECOVERY_WRONG = "this recovery code is not right, or was used already"
ENROL_FIRST = "your role must sign in with two factors: set up your authenticator app first"
ENROL_STALE = "this set-up form has expired; start again"
TOKENS_NEED_TWO_FACTOR = (
    "API tokens are made only from a session signed in with two factors: "
    "set up two-factor sign-in on your account page first"
)

NO_SUCH_ACCOUNT = "there is no such account"
EMAIL_TAKEN = "{email} already has an account"
LAST_ADMIN = (
    "{email} is the last active admin: make another account an admin "
    "before this one stops being one"
)
NOT_YOURSELF = "ask another admin to {what} your own account"
ALREADY = "{email} is {state} already"
UNKNOWN_ROLE = "{role!r} is not a role: choose admin, reviewer, researcher or advocate"
NO_SUCH_SESSION = "you have no live session with this id"

SIGN_IN_FORM = "sign-in form"
"""Who, in the audit, for a lock-out: whoever was trying to sign in."""
COMMAND_LINE = "command line"
"""Who and where, for changes made with the `tracker` command."""

ACTIONS = {
    "user_added": "account added",
    "invited": "invited",
    "invite_accepted": "invitation accepted",
    "invite_mailed": "invitation mailed",
    "invite_mail_failed": "invitation mail not sent",
    "reset_link_made": "password reset link made",
    "reset_mailed": "password reset link mailed",
    "reset_mail_failed": "password reset mail not sent",
    "password_reset": "password reset through a link",
    "password_changed": "password changed",
    "password_set": "password set",
    "deactivated": "deactivated",
    "reactivated": "reactivated",
    "role_changed": "role changed",
    "signed_out_everywhere": "signed out everywhere",
    "session_ended": "one session signed out",
    "other_sessions_ended": "other sessions signed out",
    "two_factor_enrolled": "two-factor sign-in set up",
    "two_factor_reset": "two-factor sign-in reset",
    "recovery_codes_made": "new recovery codes made",
    "recovery_code_used": "recovery code used to sign in",
    "locked_out": "locked out after failed sign-ins",
}
"""Audit action codes and how a person reads them."""


def action_label(code: str) -> str:
    """How the audit page names an action (an unknown code is shown as it is)."""
    return ACTIONS.get(code, code)


__all__ = ["ACTIONS", "action_label"]
