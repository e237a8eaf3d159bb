"""@tags in prompts: resolution (look-alikes never resolve), limits, restrictions, teens, characters,
and the autocomplete that says who may be used."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from cameo_support import notifications, services_of, verify_directly
from figment.generation.types import CharacterLooks
from figment.likeness.consent import mentioned_handles, render_prompt
from figment.likeness.models import Likeness
from figment.likeness.restrictions import RestrictionMatcher, clean_restrictions, topic_of
from support import Api, assert_error, shared_embedder


def _post(api: Api, handle: str, prompt: str) -> object:
    return api.client.post("/api/videos", json={"prompt": prompt, "duration_s": 1}, headers=api.auth(handle))


def test_mentions_parse_in_order_and_once() -> None:
    assert mentioned_handles("@Olga and @sam meet @olga, email a@b.c") == ["olga", "sam"]
    assert mentioned_handles("no tags here") == []


def test_lookalikes_unknowns_and_too_many_tags_are_refused(api: Api) -> None:
    for handle in ("olga", "sam", "ugo", "ivo", "pia"):
        api.signup(handle)
    for handle in ("olga", "ugo", "ivo", "pia"):
        verify_directly(api, handle, permission="everyone")
    error = assert_error(_post(api, "sam", "@o1ga dancing"), 403, "cameo_permission_denied")
    assert error["details"] == {"handle": "o1ga", "rule": "lookalike", "lookalike_of": "olga"}
    error = assert_error(_post(api, "sam", "@\u043elga dancing"), 422, "validation_error")  # Cyrillic о
    assert "imitate Latin" in error["message"]
    assert_error(_post(api, "sam", "@nobody_here dancing"), 422, "validation_error")
    error = assert_error(_post(api, "olga", "@sam dancing"), 403, "cameo_permission_denied")
    assert error["details"]["rule"] == "not_verified"
    error = assert_error(_post(api, "sam", "@olga @ugo @ivo and @pia on a boat"), 422, "validation_error")
    assert "at most 3" in error["message"]
    assert _post(api, "sam", "@olga @ugo and @ivo on a boat").status_code == 202  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("prompt", "restricted"),
    [
        ("@olga giving a speech at an election rally", True),
        ("@olga al comizio elettorale del partito", True),
        ("@olga votes in the parliament", True),
        ("@olga in a bikini at the beach", True),
        ("@olga in costume da bagno in piscina", True),
        ("@olga drinking beer at a pub", True),
        ("@olga beve vino rosso al bar", True),
        ("@olga eats a pineapple pizza", True),
        ("@olga cooking pasta in the kitchen", False),
        ("@olga dancing in the rain", False),
        ("@olga riding a bike in the park", False),
        ("@olga in a warm sweater", False),
        ("@olga playing chess with a robot", False),
        ("@olga reading a book about the history of rome", False),
    ],
)
def test_restrictions_match_across_languages(prompt: str, restricted: bool) -> None:
    matcher = RestrictionMatcher(shared_embedder())
    rules = ["No political content", "never in swimwear", "niente alcolici", 'banned words: "pineapple"']
    hit = matcher.first_hit(prompt, rules)
    assert (hit is not None) == restricted, (prompt, hit)


def test_restriction_texts_are_validated() -> None:
    assert topic_of("Please, never in swimwear!") == "swimwear"
    assert clean_restrictions(["no politics", " no  politics ", "mai alcol"]) == ["no politics", "mai alcol"]
    for bad in (["no"], "no politics", [""] * 0 + ["x" * 300]):
        with pytest.raises(Exception):  # noqa: B017 - ValidationFailed, asserted by message below
            clean_restrictions(bad)


def test_restrictions_refuse_others_but_not_the_owner(api: Api) -> None:
    api.signup("olga")
    api.signup("sam")
    verify_directly(api, "olga", permission="everyone")
    response = api.client.patch("/api/cameo", json={"restrictions": ["no political content"]}, headers=api.auth("olga"))
    assert response.json()["restrictions"] == ["no political content"]
    error = assert_error(_post(api, "sam", "@olga giving a speech at an election rally"), 422, "cameo_restricted")
    assert error["details"]["handle"] == "olga"
    assert error["details"]["restriction"] == "no political content"
    assert "no political content" in error["message"]
    own = _post(api, "olga", "@olga giving a speech at an election rally")
    assert own.status_code == 202, own.text  # type: ignore[attr-defined]
    assert _post(api, "sam", "@olga cooking pasta").status_code == 202  # type: ignore[attr-defined]
    assert_error(
        api.client.patch("/api/cameo", json={"permission": "all"}, headers=api.auth("olga")), 422, "validation_error"
    )


def test_teens_cannot_open_their_likeness_to_everyone(api: Api) -> None:
    api.signup("tina", birthdate=date(date.today().year - 15, 1, 1).isoformat())
    cameo = api.client.get("/api/cameo", headers=api.auth("tina")).json()
    assert cameo["permission"] == "only_me" and cameo["approval_required"] is True
    assert "everyone" not in cameo["permission_choices"]
    error = assert_error(
        api.client.patch("/api/cameo", json={"permission": "everyone"}, headers=api.auth("tina")), 403, "forbidden"
    )
    assert error["details"]["rule"] == "teen"
    assert api.client.patch("/api/cameo", json={"permission": "mutuals"}, headers=api.auth("tina")).status_code == 200


def test_characters_have_handles_looks_and_permissions(api: Api) -> None:
    api.signup("olga")
    api.signup("sam")
    created = api.client.post(
        "/api/characters",
        json={"handle": "rex", "description": "a small brown dachshund", "look": "dog", "permission": "everyone"},
        headers=api.auth("olga"),
    )
    assert created.status_code == 201, created.text
    assert created.json()["owner"] == "olga"
    for body, code in (
        ({"handle": "olga", "description": "x"}, 409),  # a person's handle
        ({"handle": "rex", "description": "x"}, 409),
        ({"handle": "r3x_", "description": "x"}, 201),  # different enough
        ({"handle": "spot", "description": "a dog", "look": "lamborghini"}, 422),
        ({"handle": "spot", "description": " "}, 422),
    ):
        response = api.client.post("/api/characters", json=body, headers=api.auth("olga"))
        assert response.status_code == code, (body, response.text)

    video = api.wait("sam", api.submit("sam", "@rex runs on the beach at sunset")["id"])
    assert video["status"] == "ready"
    assert [s["key"] for s in video["plan"]["subjects"]] == ["dog"]
    assert video["plan"]["caption"] == "@rex runs on the beach at sunset"  # what the author wrote
    assert video["likeness"] == [{"handle": "rex", "kind": "character"}]
    assert [n["subject"]["id"] for n in notifications(api, "olga", "cameo_used")] == [video["id"]]
    # Others see the character but not its owner's private settings, and cannot change it.
    seen = api.client.get("/api/characters/rex", headers=api.auth("sam")).json()
    assert seen["restrictions"] is None and seen["approved"] is None
    assert_error(
        api.client.patch("/api/characters/rex", json={"permission": "only_me"}, headers=api.auth("sam")),
        403,
        "forbidden",
    )
    assert (
        api.client.patch("/api/characters/rex", json={"permission": "only_me"}, headers=api.auth("olga")).status_code
        == 200
    )
    assert_error(_post(api, "sam", "@rex runs again"), 403, "cameo_permission_denied")  # type: ignore[arg-type]
    deleted = api.client.delete("/api/characters/rex", headers=api.auth("olga"))
    assert deleted.json() == {"clips_removed": 1}
    assert api.client.get(f"/api/videos/{video['id']}", headers=api.auth("sam")).status_code == 404


def test_character_looks_are_the_configured_backends(api: Api) -> None:
    api.signup("olga")
    services = services_of(api)
    looks = api.client.get("/api/cameo/looks").json()
    drawn = services.backend.capabilities.looks
    assert looks == {"sprites": list(drawn.sprites), "suggested": list(drawn.suggested), "styles": list(drawn.styles)}
    assert "dog" in looks["suggested"] and "neon" in looks["styles"]

    class Wordless:
        """A backend that draws no character looks: a character is only its description."""

        name = "wordless"
        capabilities = dataclasses.replace(services.backend.capabilities, looks=CharacterLooks())

        def generate(self, request: object) -> object:
            raise AssertionError("not rendered here")

    original, services.backend = services.backend, Wordless()
    try:
        assert api.client.get("/api/cameo/looks").json() == {"sprites": [], "suggested": [], "styles": []}
        body = {"handle": "rex", "description": "a small brown dachshund", "look": "dog"}
        error = assert_error(
            api.client.post("/api/characters", json=body, headers=api.auth("olga")), 422, "validation_error"
        )
        assert error["details"]["field"] == "look"
        body["look"] = None
        assert api.client.post("/api/characters", json=body, headers=api.auth("olga")).status_code == 201
        patch = api.client.patch("/api/characters/rex", json={"look": "cat"}, headers=api.auth("olga"))
        assert_error(patch, 422, "validation_error")
    finally:
        services.backend = original


def test_render_prompt_swaps_tags_for_what_the_renderer_understands() -> None:
    person = Likeness(handle="olga", kind="person", description="", look=None)
    pet = Likeness(handle="rex", kind="character", description="a brown dachshund", look="dog/neon")
    assert render_prompt("@olga walks @rex", [person, pet]) == "a person walks dog (a brown dachshund), in neon style"


def test_autocomplete_lists_who_i_may_use(api: Api) -> None:
    for handle in ("olga", "ola", "oscar", "otto", "sam"):
        api.signup(handle)
    verify_directly(api, "olga", permission="everyone")
    verify_directly(api, "oscar", permission="only_me")
    verify_directly(api, "otto", permission="everyone")
    assert api.client.post("/api/users/sam/block", headers=api.auth("otto")).status_code == 204
    items = api.client.get("/api/cameo/usable?q=o", headers=api.auth("sam")).json()["items"]
    # People first by whether I may use them; one who never verified a face is offered, greyed, with why.
    assert [(i["handle"], i["kind"], i["allowed"], i["rule"]) for i in items] == [
        ("olga", "person", True, "everyone"),
        ("ola", "person", False, "not_verified"),
        ("oscar", "person", False, "only_me"),
    ]


def test_a_person_cannot_sign_up_with_a_characters_handle(api: Api) -> None:
    api.signup("olga")
    body = {"handle": "rex", "description": "a small brown dachshund", "look": "dog"}
    assert api.client.post("/api/characters", json=body, headers=api.auth("olga")).status_code == 201
    for handle in ("rex", "r_ex"):
        response = api.client.post(
            "/api/auth/signup",
            json={
                "handle": handle,
                "email": f"{handle}@example.com",
                "password": "long enough pw",
                "birthdate": "1990-01-01",
            },
        )
        assert_error(response, 409, "conflict")


def test_a_backend_without_likeness_is_never_given_a_face(api: Api) -> None:
    api.signup("olga")
    verify_directly(api, "olga", permission="everyone")
    services = services_of(api)
    services.likeness.backend_supports_likeness = False
    try:
        error = assert_error(_post(api, "olga", "@olga dancing in the rain"), 422, "validation_error")
        assert "cannot put a person's likeness" in error["message"]
        # Characters carry no face, so any backend can draw them.
        body = {"handle": "rex", "description": "a small brown dachshund", "look": "dog"}
        assert api.client.post("/api/characters", json=body, headers=api.auth("olga")).status_code == 201
        assert _post(api, "olga", "@rex runs on the beach").status_code == 202  # type: ignore[attr-defined]
    finally:
        services.likeness.backend_supports_likeness = True
