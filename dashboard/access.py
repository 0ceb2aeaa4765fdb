"""Who the user is and what they may see (../shared/spec/access.md).

Identity comes from Streamlit's OpenID Connect login; config/access.yml maps an e-mail or a
group to a role. Demo mode (a role picker, for trying the product and for tests) is
switched on only by the server's environment, KEDJAN_DEMO_MODE=1: never by a URL parameter
or anything the browser sends. Every page shows a banner while it is on, and it serves
nothing unless the server listens on a loopback address (this machine only).
"""

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
import yaml

from dashboard.labels import text

REPO = Path(__file__).resolve().parent.parent
ROLES = ("styrgrupp", "projektledare", "dataansvarig", "analytiker")


@dataclass(frozen=True)
class User:
    name: str
    role: str | None
    projects: tuple[str, ...] = field(default_factory=tuple)  # empty = every project

    def sees_project(self, project_id: str) -> bool:
        return self.role in ("dataansvarig", "analytiker", "styrgrupp") or project_id in self.projects

    @property
    def protected(self) -> bool:
        """Aggregates get small-count protection (styrgrupp)."""
        return self.role == "styrgrupp"

    @property
    def sees_people(self) -> bool:
        return self.role in ("projektledare", "dataansvarig")


def demo_mode() -> bool:
    return os.environ.get("KEDJAN_DEMO_MODE") == "1"


def loopback_only(address: str | None) -> bool:
    """Whether a server bound to ``address`` (server.address) is reachable from this
    machine only. Streamlit's default, no address, listens on every interface."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def access_config() -> dict:
    path = Path(os.environ.get("KEDJAN_ACCESS_CONFIG") or REPO / "config" / "access.yml")
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def email_trusted(email_verified, config: dict) -> bool:
    """Whether an e-mail from the token identifies the user.

    Many IdPs let users set an e-mail they do not own; only the token's email_verified
    claim (true; some IdPs send the string "true") shows the IdP checked it, unless
    config/access.yml says the IdP only issues verified e-mails (idp_verifies_email).
    """
    return config.get("idp_verifies_email") is True or email_verified is True or email_verified == "true"


def role_for(email: str | None, groups: list[str], config: dict,
             email_verified=None) -> tuple[str | None, tuple[str, ...]]:
    """The role and projects of the first rule matching the e-mail (if trusted) or a group."""
    trusted = bool(email) and email_trusted(email_verified, config)
    for rule in config.get("rules", []):
        if (trusted and rule.get("email", "").casefold() == email.casefold()) or \
                (rule.get("group") and rule["group"] in groups):
            return rule["role"], tuple(rule.get("projects", ()))
    return None, ()


def current_user(all_projects: list[str]) -> User | None:
    """The signed-in user, or None after asking them to sign in."""
    if demo_mode():
        address = st.get_option("server.address")
        if not loopback_only(address):
            # The role picker makes anyone the data steward: never on a network.
            st.error("Demoläget körs bara på den här datorn: starta med --server.address 127.0.0.1 "
                     "(make dashboard gör det). / Demo mode runs on this machine only: start with "
                     "--server.address 127.0.0.1 (make dashboard does).")
            st.stop()
        st.sidebar.warning(text("demo_banner").format(address=address))
        role = st.sidebar.selectbox(text("demo_role"), ROLES, key="demo_role")
        projects = ()
        if role == "projektledare":
            projects = tuple(st.sidebar.multiselect(text("demo_projects"), all_projects,
                                                    default=all_projects[:1], key="demo_projects"))
        return User("demo", role, projects)
    if not st.user.get("is_logged_in"):
        st.title("Kedjan")
        st.button("Logga in / Sign in", on_click=st.login)
        return None
    config = access_config()
    groups = st.user.get(config.get("group_claim", "groups")) or []
    role, projects = role_for(st.user.get("email"), list(groups), config,
                              email_verified=st.user.get("email_verified"))
    st.sidebar.button("Logga ut / Sign out", on_click=st.logout)
    return User(st.user.get("email") or "", role, projects)
