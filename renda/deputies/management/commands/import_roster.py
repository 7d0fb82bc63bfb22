"""Import a deputies roster (人大代表花名册) workbook from the command line."""

from django.core.management.base import BaseCommand, CommandError

from renda.core.models import Region, User
from renda.deputies.roster_io import RosterFileError, roster_check, roster_write


class Command(BaseCommand):
    help = (
        "从 Excel 花名册（.xlsx）导入人大代表：逐行校验并列出问题，"
        "再写入无误的行（--dry-run 只校验不写入）。与网页导入使用同一套校验。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="花名册文件（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--region", help="导入范围的区划代码（如 990121101）；不填则不限范围")
        parser.add_argument("--user", help="记为操作人的用户名（写入修改历史）")

    def handle(self, *args, file, dry_run, region, user, **options):
        scope = None
        if region:
            scope = Region.objects.filter(code=region).first()
            if scope is None:
                raise CommandError(f"没有区划代码为 {region} 的区划")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有用户名为 {user} 的用户")
        try:
            with open(file, "rb") as handle:
                result = roster_check(handle, scope=scope)
        except OSError as error:
            raise CommandError(f"无法打开文件 {file}：{error.strerror}") from None
        except RosterFileError as error:
            raise CommandError(str(error)) from None

        for problem in result.problems:
            self.stdout.write(f"第{problem['row']}行 [{problem['column']}] {problem['message']}")
        problem_rows = len({problem["row"] for problem in result.problems})
        self.stdout.write(
            f"共 {result.total_rows} 行：可导入 {result.good_rows} 行，"
            f"与系统一致 {result.unchanged_rows} 行，有问题 {problem_rows} 行"
            f"（{len(result.problems)} 处）"
        )
        if dry_run:
            self.stdout.write("试运行（--dry-run），未写入任何数据")
            return
        written, refused = roster_write(result, actor=actor)
        for problem in refused:
            self.stdout.write(f"第{problem['row']}行 {problem['message']}")
        self.stdout.write(self.style.SUCCESS(f"已写入 {written} 行"))
