"""The opinion table's indexes, one per query that needs it.

`db_index=True` and `unique=True` on a text column give PostgreSQL two
indexes, a plain one and a `_like` (pattern) one. Measured at 19 counties,
one of each pair was never read; `status` alone was never read (the
ledger's status filter uses `opinion_region_status`). Five indexes go:
every public submission writes five fewer entries and every plan of the
table weighs five fewer paths.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("opinions", "0004_opinion_bigrams")]

    operations = [
        migrations.AlterField(
            model_name="opinion",
            name="content_digest",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="number",
            field=models.CharField(blank=True, max_length=30, verbose_name="登记编号"),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="receipt_code",
            field=models.CharField(max_length=12, verbose_name="回执码"),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "已收集待整理"),
                    ("sorted", "已整理登记"),
                    ("merged", "已归并"),
                    ("solved", "已当场解决"),
                    ("assigned", "已交办"),
                    ("escalated", "已上报"),
                    ("converted", "已转为代表建议"),
                    ("declined", "不予受理"),
                    ("handled", "已办理待回复"),
                    ("answered", "已答复群众"),
                ],
                default="received",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(
                fields=["number"], name="opinion_number", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(fields=["content_digest"], name="opinion_content_digest"),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.UniqueConstraint(
                fields=("receipt_code",), name="opinion_receipt_code_unique"
            ),
        ),
    ]
