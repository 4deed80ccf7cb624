from course.navigation import next_lesson, previous_lesson


def test_next_and_previous_cross_chapter_boundaries(make_lesson):
    last_of_one = make_lesson(1, 2)
    first_of_one = make_lesson(1, 1)
    first_of_ten = make_lesson(10, 1)  # chapter 10 sorts after 2, not after 1
    first_of_two = make_lesson(2, 1)

    assert next_lesson(first_of_one) == last_of_one
    assert next_lesson(last_of_one) == first_of_two
    assert next_lesson(first_of_two) == first_of_ten
    assert next_lesson(first_of_ten) is None
    assert previous_lesson(first_of_ten) == first_of_two
    assert previous_lesson(first_of_two) == last_of_one
    assert previous_lesson(first_of_one) is None


def test_navigation_stays_inside_the_course(make_lesson):
    mine = make_lesson(1, 1, course_slug="mine")
    make_lesson(1, 2, course_slug="other")
    assert next_lesson(mine) is None


def test_lesson_number_ten_comes_after_nine(make_lesson):
    nine = make_lesson(3, 9)
    ten = make_lesson(3, 10)
    assert next_lesson(nine) == ten
