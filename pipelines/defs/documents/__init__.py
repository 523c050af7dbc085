"""The asset graph every source shares: raw → text → claims → warehouse."""
