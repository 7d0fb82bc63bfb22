from renda.suggestions import services


def submitted_item(world, *, title="关于改善东河村饮水条件的建议", lead=None, occasion="session"):
    """A submitted item of 青山镇's congress, entered by the township clerk."""
    item = services.suggestion_draft(
        entered_by=world.user("township"),
        congress=world.township_congress,
        occasion=occasion,
        session=world.session if occasion == "session" else None,
        title=title,
        body=title + "。具体情况如下：……",
        lead=lead or world.person,
        category=world.category,
    )
    return services.suggestion_submit(suggestion=item, actor=world.user("township"))
