# -*- coding: utf-8 -*-
# Copyright: pvepaas contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One JSON object per line on stdout for every playbook event, for live progress in the platform."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: pvepaas_jsonl
    type: stdout
    short_description: one JSON line per playbook event
    description:
      - Prints playbook_start, play_start, task_start, handler_start, one line per task result
        (ok, changed, failed, skipped, unreachable) and the final stats, each as a JSON object on its own line.
      - Results of tasks with no_log are reduced to their status.
    requirements:
      - set as stdout callback (ANSIBLE_STDOUT_CALLBACK=pvepaas_jsonl)
"""

import json
import sys
from datetime import datetime, timezone

from ansible.plugins.callback import CallbackBase

MAX_TEXT = 2000


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clip(text):
    if text is None:
        return None
    text = str(text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def _count_tasks(blocks):
    count = 0
    for block in blocks:
        for part in ("block", "rescue", "always"):
            for item in getattr(block, part, None) or []:
                if hasattr(item, "block"):
                    count += _count_tasks([item])
                elif getattr(item, "action", None) != "meta":
                    count += 1
    return count


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "pvepaas_jsonl"

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._task_index = 0

    def _emit(self, event, **fields):
        fields = dict((k, v) for k, v in fields.items() if v is not None)
        fields["event"] = event
        fields["at"] = _now()
        sys.stdout.write(json.dumps(fields, sort_keys=True, default=str) + "\n")
        sys.stdout.flush()

    def _result(self, status, result, **extra):
        res = result._result
        task = result._task
        no_log = res.get("_ansible_no_log", False) or getattr(task, "no_log", False)
        item = None
        if "_ansible_item_label" in res:
            item = res.get("_ansible_item_label")
        elif "item" in res and not no_log:
            item = res.get("item")
        msg = None
        stderr = None
        if not no_log:
            msg = res.get("msg")
            if status in ("failed", "unreachable"):
                stderr = res.get("stderr") or res.get("module_stderr")
                if not msg and res.get("rc") not in (None, 0):
                    msg = "non-zero return code %s" % res.get("rc")
        elif status == "failed":
            msg = "the output has been hidden due to no_log"
        self._emit(
            "task_result",
            status=status,
            host=result._host.get_name(),
            task=task.get_name().strip(),
            action=task.action,
            role=task._role.get_name() if getattr(task, "_role", None) else None,
            changed=bool(res.get("changed", False)),
            ignored=bool(extra.get("ignore_errors")) if status == "failed" else None,
            item=_clip(json.dumps(item, default=str)) if item is not None and not isinstance(item, str) else _clip(item),
            msg=_clip(msg),
            stderr=_clip(stderr),
        )

    def v2_playbook_on_start(self, playbook):
        self._emit("playbook_start", playbook=playbook._file_name)

    def v2_playbook_on_play_start(self, play):
        try:
            total = _count_tasks(play.compile())
        except Exception:  # a count is only an estimate for progress; never fail the run over it
            total = None
        self._task_index = 0
        self._emit("play_start", play=play.get_name().strip(), hosts=play.hosts, tasks_total=total)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_index += 1
        self._emit(
            "task_start",
            task=task.get_name().strip(),
            action=task.action,
            role=task._role.get_name() if getattr(task, "_role", None) else None,
            index=self._task_index,
        )

    def v2_playbook_on_handler_task_start(self, task):
        self._emit("handler_start", task=task.get_name().strip(), action=task.action)

    def v2_runner_on_ok(self, result):
        self._result("changed" if result._result.get("changed", False) else "ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("failed", result, ignore_errors=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._result("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._result("unreachable", result)

    def v2_runner_item_on_ok(self, result):
        pass  # the task's final result carries the outcome; per-item lines would flood the stream

    def v2_runner_item_on_failed(self, result):
        pass

    def v2_runner_item_on_skipped(self, result):
        pass

    def v2_playbook_on_no_hosts_matched(self):
        self._emit("warning", msg="no hosts matched")

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            hosts[host] = dict(
                (k, s.get(k, 0)) for k in ("ok", "changed", "failures", "unreachable", "skipped", "rescued", "ignored")
            )
        self._emit("stats", hosts=hosts)

    def v2_on_any(self, *args, **kwargs):
        pass
