"""Pure parsers for the bundled statistics (no ORM): each module turns one source's files into
`ObservationRow` objects plus metadata, raising `ParseError(message, row=, column=)` on bad cells.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first data row is row 2.
"""
