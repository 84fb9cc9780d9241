"""How a person is named in public, whatever the channel.

Online authors choose a display name, which the sign-up and profile forms ask to be "the first name and the
initial of the surname" (`Елена Д.`). People who take part offline (speakers at a public meeting, written
proposals handed in) are typed in by staff with their full name; wherever they are shown to the public, the
same rule applies through `public_person_name`. Staff screens keep the full name.
"""


def public_person_name(name):
    """"Иван Костов" -> "Иван К."; "Георги Иванов Петров" -> "Георги П."; one word stays as it is."""
    words = str(name or "").split()
    if len(words) < 2:
        return " ".join(words)
    first, last = words[0], words[-1]
    return f"{first} {last[0]}."
