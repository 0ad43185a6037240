"""Deleting an article is a deliberate two-step action, with and without JavaScript's help, and
a story left with nothing worth keeping goes with its last article."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Article, AuditEntry, Claim, Story
from tests.conftest import csrf_token
from tests.test_pages import html, text_of
from tests.test_story_wording import REWRITE, upload
from tests.test_upload import UNRELATED


def _exists(engine, model, item_id: int) -> bool:
    with Session(engine) as session:
        return session.get(model, item_id) is not None


def test_the_first_delete_only_asks_and_says_what_would_be_lost(signed_in, engine):
    token = csrf_token(signed_in, "/articles/2")
    answer = signed_in.post("/articles/2/delete", data={"csrftoken": token})
    assert answer.status_code == 200
    assert _exists(engine, Article, 2), "nothing is deleted before the editor confirms"
    box = html(answer).css_first("section.confirm-delete")
    said = text_of(box)
    assert "cannot be undone" in said and "sentences" in said and "links to claims" in said
    assert box.css_first('input[name="csrftoken"]') is not None
    assert box.css_first('input[name="confirm"]').attributes["value"] == "yes"
    assert box.css_first('a[href="/articles/2"]') is not None, "a way back"


def test_with_htmx_the_confirmation_replaces_the_button_in_place(signed_in, engine):
    token = csrf_token(signed_in, "/articles/2")
    answer = signed_in.post(
        "/articles/2/delete", data={"csrftoken": token}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200 and _exists(engine, Article, 2)
    assert answer.text.lstrip().startswith('<section class="danger confirm-delete"')
    assert "<html" not in answer.text


def test_confirming_deletes_and_leaves_a_story_with_a_dossier(signed_in, engine):
    token = csrf_token(signed_in, "/articles/2")
    answer = signed_in.post("/articles/2/delete", data={"csrftoken": token, "confirm": "yes"})
    assert answer.status_code == 200 and not _exists(engine, Article, 2)
    assert "The article was deleted" in answer.text


def test_confirming_without_the_csrf_token_is_refused(signed_in, engine):
    answer = signed_in.post("/articles/2/delete", data={"confirm": "yes"})
    assert answer.status_code == 403 and _exists(engine, Article, 2)


def test_deleting_a_storys_last_article_removes_the_story_from_every_list(
    client, anonymous, engine
):
    lone = upload(client, UNRELATED, "Harbour Daily")
    story_id = lone["story_id"]
    assert "City council" in anonymous.get("/").text  # kept in the page cache too
    assert client.get("/stories.json?q=council").json()["total"] == 1
    confirm = client.post(f"/articles/{lone['article_id']}/delete", data={})
    assert "the story is deleted too" in text_of(html(confirm).css_first("section.confirm-delete"))
    done = client.post(
        f"/articles/{lone['article_id']}/delete", data={"confirm": "yes"}, follow_redirects=False
    )
    assert done.headers["location"] == f"/stories?deleted={lone['article_id']}"
    assert not _exists(engine, Story, story_id)
    assert client.get("/stories.json?q=council").json()["total"] == 0
    assert client.get(f"/stories/{story_id}").status_code == 404
    assert "City council" not in anonymous.get("/").text
    with Session(engine) as session:
        last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.summary.endswith("and its story, left without articles")


def test_moving_the_last_article_away_removes_its_induced_story(client, engine):
    lone = upload(client, UNRELATED, "Harbour Daily")
    other = upload(client, REWRITE, "River Post", lone["story_id"])
    with Session(engine) as session:
        assert session.exec(select(Claim).where(Claim.story_id == lone["story_id"])).all()
    fresh = client.post("/api/articles", json={"text": "Ferry strike.\n\nThe ferries stopped."})
    target = fresh.json()["story_id"]
    for article_id in (lone["article_id"], other["article_id"]):
        moved = client.post(f"/articles/{article_id}/metadata", data={"story_id": str(target)})
        assert moved.status_code == 200
    assert not _exists(engine, Story, lone["story_id"])
    with Session(engine) as session:
        assert not session.exec(select(Claim).where(Claim.story_id == lone["story_id"])).all()


def test_a_story_with_a_dossier_stays_when_its_articles_are_gone(client, engine):
    for article_id in range(1, 6):
        assert client.delete(f"/api/articles/{article_id}").status_code == 204
    assert _exists(engine, Story, 1)
    assert client.get("/stories/1.json").json()["claim_count"] > 0
