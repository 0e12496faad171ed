"""Identity tables: prefectures, named regions, municipalities, industries."""
