"""Where an answer is shown in Slack, and how it changes in place as it improves.

An answer is shown twice: the verified quotes as soon as they are found, then the final
answer. ``ThreadReply`` posts into a thread and edits its own messages (``chat.update``);
``CommandReply`` posts to a slash command's ``response_url`` and replaces that post
(``replace_original``). Both skip a change that changes nothing, so an answer that is the
quotes themselves is posted once and never edited.
"""

from __future__ import annotations

from qa.slack.client import SlackClient


class ThreadReply:
    def __init__(self, client: SlackClient, channel: str, thread_ts: str):
        self.client, self.channel, self.thread_ts = client, channel, thread_ts
        self.posted: list[tuple[str, dict]] = []  # (ts, message) in thread order

    async def show(self, messages: list[dict]) -> None:
        """Edit the messages already posted, post any more. Extra earlier messages stay as
        they were: Slack would show a deletion as a gap, and the quotes are still true."""
        for i, message in enumerate(messages):
            if i < len(self.posted):
                ts, shown = self.posted[i]
                if shown != message:
                    await self.client.update_message(self.channel, ts, message)
                    self.posted[i] = (ts, message)
            else:
                data = await self.client.post_message(self.channel, message, self.thread_ts)
                self.posted.append((data["ts"], message))


class CommandReply:
    def __init__(self, client: SlackClient, response_url: str):
        self.client, self.response_url = client, response_url
        self.shown: list[dict] = []

    async def show(self, messages: list[dict]) -> None:
        """Post to the channel; once something was posted, the first new message replaces it."""
        if not messages or messages == self.shown:
            return
        for i, message in enumerate(messages):
            body = {"response_type": "in_channel", **message}
            if i == 0 and self.shown:
                body["replace_original"] = True
            await self.client.respond(self.response_url, body)
        self.shown = messages
