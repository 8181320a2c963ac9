from lindungi.core.testing.matrix import Row

ROWS = [
    Row("core:home", "GET", expect={"anonymous": 302, "*": 200}),
    Row("core:health", "GET", expect={"anonymous": 200, "*": 200}),
    Row("set_language", "POST", data=lambda w: {"language": "en", "next": "/"}, expect={"anonymous": 302, "*": 302}),
]
